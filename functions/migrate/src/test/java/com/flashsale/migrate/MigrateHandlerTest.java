package com.flashsale.migrate;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The migrate function on a real PostgreSQL: it brings a fresh database to the latest schema as
 * the owner, and the roles the other functions log in as can do their work on rows but cannot
 * change the schema.
 */
@ExtendWith(RealServersExtension.class)
class MigrateHandlerTest {

    /** SQLSTATE insufficient_privilege (also "must be owner of table"). */
    private static final String NO_PRIVILEGE = "42501";

    @Test
    void shouldMigrateOnce_andLeaveTheAppRoleRowWorkOnly_whenInvokedTwice(RealServers servers) throws Exception {
        RealServers.Database database = migrated(servers);

        try (Connection app = as(database, "flashsale_app"); Statement sql = app.createStatement()) {
            // the functions' normal work: rows in, rows changed, sequences, reads
            sql.execute("INSERT INTO product (id, name, price_cents, stock_total, stock_left, starts_at, ends_at) "
                    + "VALUES ('p1', 'phone', 100, 2, 2, now(), now() + interval '1 hour')");
            sql.execute("UPDATE product SET stock_left = 1 WHERE id = 'p1'");
            sql.execute("INSERT INTO purchase_order (id, request_id, product_id, user_id, quantity, price_cents, status, pay_by) "
                    + "VALUES ('o1', 'r1', 'p1', 'alice', 1, 100, 'PENDING_PAYMENT', now())");
            sql.execute("UPDATE purchase_order SET status = 'PAID' WHERE id = 'o1'");
            sql.execute("INSERT INTO reconciliation_run (fence, holder) VALUES (1, 'test')");
            try (var rows = sql.executeQuery("SELECT stock_left FROM product WHERE id = 'p1'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }

            // and nothing that changes the schema, deletes rows or rewrites the migrations' history
            assertRefused(sql, "CREATE TABLE intruder (id int)");
            assertRefused(sql, "DROP TABLE purchase_order");
            assertRefused(sql, "ALTER TABLE product ADD COLUMN intruder int");
            assertRefused(sql, "CREATE INDEX intruder ON product (name)");
            assertRefused(sql, "TRUNCATE purchase_order");
            assertRefused(sql, "DELETE FROM purchase_order");
            assertRefused(sql, "UPDATE flyway_schema_history SET success = false");
        }
    }

    @Test
    void shouldLetTheReaderRoleOnlyRead_whenMigrated(RealServers servers) throws Exception {
        RealServers.Database database = migrated(servers);

        try (Connection reader = as(database, "flashsale_reader"); Statement sql = reader.createStatement()) {
            try (var rows = sql.executeQuery("SELECT count(*) FROM purchase_request")) {
                assertThat(rows.next()).isTrue();
            }
            assertRefused(sql, "INSERT INTO product (id, name, price_cents, stock_total, stock_left, starts_at, ends_at) "
                    + "VALUES ('p1', 'phone', 100, 2, 2, now(), now() + interval '1 hour')");
            assertRefused(sql, "UPDATE product SET stock_left = 0");
            assertRefused(sql, "CREATE TABLE intruder (id int)");
        }
    }

    /** A fresh database, migrated by the function twice: the second run applies nothing. */
    private static RealServers.Database migrated(RealServers servers) {
        RealServers.Database database = servers.freshDatabase("migrate");
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "datasources.default.url", database.jdbcUrl(),
                "datasources.default.username", database.user(),
                "datasources.default.password", database.password()))) {
            MigrateHandler handler = new MigrateHandler(context);

            Map<String, Object> first = handler.execute(Map.of());
            Map<String, Object> second = handler.execute(Map.of());

            assertThat((Integer) first.get("migrationsExecuted")).isPositive();
            assertThat(second).containsEntry("migrationsExecuted", 0)
                    .containsEntry("schemaVersion", first.get("schemaVersion"));
        }
        return database;
    }

    /** The local server trusts local logins, as RDS Proxy trusts a valid IAM token: the role is what counts. */
    private static Connection as(RealServers.Database database, String role) throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), role, "");
    }

    private static void assertRefused(Statement sql, String statement) {
        assertThatThrownBy(() -> sql.execute(statement))
                .as(statement)
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(NO_PRIVILEGE));
    }
}
