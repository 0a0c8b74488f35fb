package com.flashsale.local.lab.bench;

import com.flashsale.local.lab.LabSql;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.lab.simulate.Figures;
import com.flashsale.local.lab.simulate.Simulation;
import com.flashsale.local.runtime.trigger.LocalScheduler;

import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Section 6: how the figures grow with the crowd and the data: whole simulated sales of growing
 * size through the HTTP gateway, and a reconciliation run over growing numbers of orders.
 */
final class Growth {

    private Growth() {
    }

    /** A whole sale (tokens, buys, polls) of {@code users} users for users/10 units: the simulator's figures. */
    static Map<String, String> sale(String baseUrl, int users, int concurrency) throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Simulation.Outcome outcome = new Simulation(baseUrl, concurrency, quiet)
                .run(new Simulation.Plan(Math.max(1, users / 10), users, concurrency, 0, 0, Duration.ofSeconds(2)));
        return Figures.of(outcome);
    }

    /**
     * Takes every earlier sale out of the reconciliation's window, writes {@code orders} orders (and their request outcomes) of one sold-out product straight into
     * Postgres, then times a reconciliation run over them; the second run shows the steady state.
     *
     * @return milliseconds of the first and the second run
     */
    static long[] reconciliation(RealServers.Database database, LocalScheduler scheduler, int orders) throws SQLException {
        String productId = "benchrecon" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            // only this product is measured: every earlier sale goes out of the reconciliation's window
            LabSql.update(connection, "UPDATE product SET starts_at = now() - interval '400 days', "
                    + "ends_at = now() - interval '399 days'");
            LabSql.update(connection, "INSERT INTO product (id, name, price_cents, stock_total, stock_left, starts_at, ends_at) "
                    + "VALUES (?, 'bench reconciliation', 1000, ?, 0, now() - interval '1 hour', now() + interval '2 hours')",
                    productId, orders);
            LabSql.update(connection, "INSERT INTO purchase_order (id, request_id, product_id, user_id, quantity, price_cents, "
                    + "status, pay_by) SELECT 'o-' || ? || '-' || g, ? || '.' || g, ?, 'u' || g, 1, 1000, 'PENDING_PAYMENT', "
                    + "now() + interval '1 hour' FROM generate_series(1, ?) g", productId, productId, productId, orders);
            LabSql.update(connection, "INSERT INTO purchase_request (request_id, product_id, user_id, quantity, status, "
                    + "order_id, accepted_at) SELECT ? || '.' || g, ?, 'u' || g, 1, 'SUCCESS', 'o-' || ? || '-' || g, now() "
                    + "FROM generate_series(1, ?) g", productId, productId, productId, orders);
            connection.commit();
        }
        long[] millis = new long[2];
        for (int run = 0; run < 2; run++) {
            long started = System.nanoTime();
            String summary = scheduler.fire();
            millis[run] = (System.nanoTime() - started) / 1_000_000;
            if (summary == null) {
                throw new IllegalStateException("reconciliation over " + orders + " orders failed");
            }
        }
        return millis;
    }
}
