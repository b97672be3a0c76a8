package konomi.catalog;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The catalog's configuration ({@code <home>/etc/konomi.catalog.cfg}, applied by FileInstall). */
@ObjectClassDefinition(id = CatalogConfig.PID, name = "Konomi catalog", description = "where the catalog database is and when two pictures are the same")
public @interface CatalogConfig {
    String PID = "konomi.catalog";

    @AttributeDefinition(required = false, description = "JDBC URL: jdbc:h2:... or jdbc:postgresql://host/db (default: an H2 file database in <home>/data/catalog)")
    String url() default "";

    @AttributeDefinition(required = false, description = "database user")
    String user() default "";

    @AttributeDefinition(required = false, type = AttributeType.PASSWORD, description = "database password (never printed or logged)")
    String password() default "";

    @AttributeDefinition(required = false, min = "0", max = "64", description = "two pictures whose perceptual hashes differ in at most this many bits are the same picture")
    int duplicateDistance() default konomi.imaging.PerceptualHash.DEFAULT_DISTANCE;
}
