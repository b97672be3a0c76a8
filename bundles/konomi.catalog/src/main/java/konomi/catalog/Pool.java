package konomi.catalog;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A small connection pool over a JDBC {@link Driver} (no DriverManager, which does not see bundle class loaders).
 * Connections are opened on demand; up to {@link #MAX_IDLE} closed ones are kept for reuse, rolled back and back in
 * auto-commit mode, and checked before they are handed out again. Thread-safe; the lock is never held while
 * talking to the database.
 */
final class Pool implements DataSource, AutoCloseable {
    static final int MAX_IDLE = 4;
    private static final int VALID_SECONDS = 5;

    private final Driver driver;
    private final Settings settings;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    Pool(Driver driver, Settings settings) {
        this.driver = driver;
        this.settings = settings;
    }

    @Override
    public Connection getConnection() throws SQLException {
        while (true) {
            Connection c;
            synchronized (this) {
                if (closed) {
                    throw new SQLException("the catalog is closed");
                }
                c = idle.pollFirst();
            }
            if (c == null) {
                return wrap(open());
            }
            if (c.isValid(VALID_SECONDS)) {
                return wrap(c);
            }
            quietlyClose(c);
        }
    }

    private Connection open() throws SQLException {
        Connection c = driver.connect(settings.url(), settings.connectionProperties());
        if (c == null) {
            throw new SQLException("the driver " + driver.getClass().getName() + " does not accept this URL");
        }
        return c;
    }

    private void giveBack(Connection c) {
        try {
            if (c.isClosed()) {
                return;
            }
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            quietlyClose(c);
            return;
        }
        synchronized (this) {
            if (!closed && idle.size() < MAX_IDLE) {
                idle.addFirst(c);
                return;
            }
        }
        quietlyClose(c);
    }

    /** Closes the idle connections; connections in use are closed when given back. */
    @Override
    public void close() {
        Connection[] toClose;
        synchronized (this) {
            closed = true;
            toClose = idle.toArray(new Connection[0]);
            idle.clear();
        }
        for (Connection c : toClose) {
            quietlyClose(c);
        }
    }

    private static void quietlyClose(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // a broken connection: nothing more to do
        }
    }

    /** The connection as the caller sees it: close() gives it back, and it cannot be used afterwards. */
    private Connection wrap(Connection real) {
        InvocationHandler h = new InvocationHandler() {
            private boolean done;

            @Override
            public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
                switch (m.getName()) {
                    case "close":
                        if (!done) {
                            done = true;
                            giveBack(real);
                        }
                        return null;
                    case "isClosed":
                        return done || real.isClosed();
                    case "unwrap":
                        if (((Class<?>) args[0]).isInstance(proxy)) {
                            return proxy;
                        }
                        break;
                    case "equals":
                        return proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "toString":
                        return "catalog connection to " + settings.url();
                    default:
                        break;
                }
                if (done) {
                    throw new SQLException("connection already given back to the pool");
                }
                try {
                    return m.invoke(real, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(Pool.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the catalog's pool has one user");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no log writer
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // the drivers' own defaults
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
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
}
