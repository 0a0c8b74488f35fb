package com.flashsale.shared.db;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(RealServersExtension.class)
class MigrationsTest {

    @Test
    void shouldApplyOnAnEmptyDatabase_andGuardStockAndActiveOrders(RealServers servers) throws Exception {
        RealServers.Database database = servers.freshDatabase("migrations");

        var result = Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password())
                .load().migrate();

        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted).isPositive();
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO product (id, name, price_cents, stock_total, stock_left, starts_at, ends_at) "
                    + "VALUES ('p1', 'phone', 100, 1, 1, now(), now() + interval '1 hour')");
            assertThatThrownBy(() -> sql.execute("UPDATE product SET stock_left = -1 WHERE id = 'p1'"))
                    .isInstanceOf(SQLException.class);
            sql.execute("INSERT INTO purchase_order (id, request_id, product_id, user_id, quantity, price_cents, status, pay_by) "
                    + "VALUES ('o1', 'r1', 'p1', 'alice', 1, 100, 'CANCELLED', now())");
            sql.execute("INSERT INTO purchase_order (id, request_id, product_id, user_id, quantity, price_cents, status, pay_by) "
                    + "VALUES ('o2', 'r2', 'p1', 'alice', 1, 100, 'PENDING_PAYMENT', now())");
            assertThatThrownBy(() -> sql.execute("INSERT INTO purchase_order "
                    + "(id, request_id, product_id, user_id, quantity, price_cents, status, pay_by) "
                    + "VALUES ('o3', 'r3', 'p1', 'alice', 1, 100, 'PAID', now())"))
                    .hasMessageContaining("purchase_order_one_active_per_user");
        }
    }
}
