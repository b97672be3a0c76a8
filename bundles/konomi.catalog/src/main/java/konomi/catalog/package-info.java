/** The catalog service on JDBC (H2 by default, PostgreSQL by configuration) with Flyway migrations; private. */
package konomi.catalog;
