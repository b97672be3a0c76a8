package konomi.catalog;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * The connections HikariCP pools: opened by the {@link Driver} the catalog loaded through its bundle's class loader
 * (HikariCP's own driver lookup goes through DriverManager and the thread's context class loader, which do not see
 * bundles). User and password travel as connection properties and never reach HikariCP's configuration or logs.
 */
final class DriverSource implements DataSource {
    private final Driver driver;
    private final Settings settings;
    private volatile int loginTimeout;

    DriverSource(Driver driver, Settings settings) {
        this.driver = driver;
        this.settings = settings;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = driver.connect(settings.url(), settings.connectionProperties());
        if (c == null) {
            throw new SQLException("the driver " + driver.getClass().getName() + " does not accept this URL");
        }
        return c;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the catalog connects as the configured user only");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no log writer
    }

    /** Kept for HikariCP (it waits this long for connections being opened when it shuts down); the drivers keep their own connect timeouts. */
    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return driver.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    /** Shown in HikariCP's debug log: the URL without password. */
    @Override
    public String toString() {
        return settings.url();
    }
}
