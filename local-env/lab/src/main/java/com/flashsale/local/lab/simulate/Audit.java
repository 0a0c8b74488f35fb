package com.flashsale.local.lab.simulate;

import com.flashsale.local.lab.LabSql;
import com.fasterxml.jackson.databind.JsonNode;
import com.flashsale.local.servers.RealServers;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The audit that ends every run (docs/reliability.md): stock = sold + left; every accepted request
 * is an order or a refunded failure; no user over the limit; Redis and Postgres agree, or the
 * difference is recorded with its cause (Redis lost writes: the only cause a run can have).
 */
public final class Audit {

    /** One line of the audit. */
    public record Line(String check, boolean passed, String detail) {
    }

    private Audit() {
    }

    /**
     * @param database        the sale's database when this run owns the stack, for the checks only Postgres can answer
     * @param redisLostWrites whether the run rolled Redis back (a soak's fault): only then may Redis and Postgres
     *                        differ, by the difference the reconciliation recorded, and Postgres refuse what Redis admitted
     */
    public static List<Line> of(Simulation.Outcome outcome, Optional<RealServers.Database> database, boolean redisLostWrites)
            throws SQLException {
        JsonNode stats = outcome.stats();
        long stock = stats.path("stock").asLong();
        long redisStock = stats.path("redisStock").asLong();
        long accepted = outcome.acceptedByRequest().size();
        long successes = count(outcome, "SUCCESS");
        long failures = count(outcome, "FAILED");
        long overLimit = outcome.acceptedByRequest().entrySet().stream()
                .filter(e -> "SUCCESS".equals(outcome.finalStatus().get(e.getKey())))
                .collect(Collectors.groupingBy(Map.Entry::getValue, Collectors.counting()))
                .values().stream().filter(n -> n > 1).count();

        // orders not cancelled: an unpaid order past its payment window gives its unit back
        long sold = stats.path("orders").asLong() - stats.path("cancelled").asLong();
        Optional<Long> recorded = database.isPresent() && redisLostWrites
                ? recordedDifference(outcome.productId(), database.get()) : Optional.empty();
        List<Line> lines = new ArrayList<>();
        lines.add(new Line("no oversell", sold <= stock,
                sold + " active orders for " + stock + " units (" + successes + " accepted requests succeeded, "
                        + stats.path("cancelled").asLong() + " orders cancelled unpaid)"));
        lines.add(agree("stock = sold + left in Redis", sold + redisStock, stock, recorded,
                stock + " = " + sold + " sold + " + redisStock + " left (" + failures + " refunded failures)"));
        lines.add(new Line("every accepted request ended as an order or a refunded failure",
                outcome.pendingAtEnd() == 0 && successes + failures == accepted
                        && stats.path("orders").asLong() == successes && stats.path("failed").asLong() == failures,
                accepted + " accepted: " + successes + " orders, " + failures + " failed, " + outcome.pendingAtEnd()
                        + " still pending; the server counts " + stats.path("orders").asLong() + " orders, "
                        + stats.path("failed").asLong() + " failed"));
        if (!redisLostWrites) {
            // Redis is the exact gate while it keeps its writes: Postgres refusing an admitted request means it over-admitted
            lines.add(new Line("Postgres confirmed every request Redis admitted", failures == 0,
                    failures + " accepted requests refused by Postgres"));
        }
        lines.add(new Line("no user over the limit", overLimit == 0, overLimit + " users with more than one order"));
        lines.add(new Line("replays with the same Idempotency-Key returned the same request",
                outcome.idempotencyViolations() == 0, outcome.idempotencyViolations() + " violations"));
        if (database.isPresent()) {
            lines.addAll(postgres(outcome.productId(), database.get(), redisStock, recorded));
        } else {
            lines.add(new Line("Redis and Postgres agree", sold + redisStock == stock,
                    "Redis stock " + redisStock + " + active orders " + sold + " = " + stock));
        }
        return lines;
    }

    /**
     * Redis may hold more stock than Postgres allows after it lost acknowledged writes (a failover):
     * by design nothing overwrites it, the Postgres guard refuses the excess and the reconciliation
     * records the difference. After such a loss, and only then, a line passes when the last recorded
     * difference is this one.
     */
    private static Line agree(String check, long actual, long expected, Optional<Long> recorded, String detail) {
        if (actual == expected) {
            return new Line(check, true, detail);
        }
        boolean explained = recorded.isPresent() && recorded.get() == actual - expected;
        return new Line(check, explained, detail + (explained
                ? "; the difference of " + (actual - expected) + " is recorded by the reconciliation (Redis lost writes)"
                : "; last difference recorded by the reconciliation: " + recorded.map(String::valueOf).orElse("none")));
    }

    /** The delta of the last stock difference the reconciliation recorded for the product. */
    private static Optional<Long> recordedDifference(String productId, RealServers.Database database) throws SQLException {
        try (Connection connection = database.connect()) {
            return LabSql.first(connection, Long.class, "SELECT delta FROM reconciliation_discrepancy WHERE product_id = ? "
                    + "AND kind = 'STOCK_INVARIANT' ORDER BY id DESC LIMIT 1", productId);
        }
    }

    private static long count(Simulation.Outcome outcome, String status) {
        return outcome.acceptedByRequest().keySet().stream().filter(id -> status.equals(outcome.finalStatus().get(id))).count();
    }

    private static List<Line> postgres(String productId, RealServers.Database database, long redisStock,
                                       Optional<Long> recorded) throws SQLException {
        try (Connection connection = database.connect()) {
            long total = single(connection, "SELECT stock_total FROM product WHERE id = ?", productId);
            long left = single(connection, "SELECT stock_left FROM product WHERE id = ?", productId);
            long active = single(connection, "SELECT coalesce(sum(quantity), 0) FROM purchase_order "
                    + "WHERE product_id = ? AND status <> 'CANCELLED'", productId);
            long maxPerUser = single(connection, "SELECT coalesce(max(n), 0) FROM (SELECT count(*) n FROM purchase_order "
                    + "WHERE product_id = ? AND status <> 'CANCELLED' GROUP BY user_id) per_user", productId);
            return List.of(
                    new Line("Postgres: stock = active orders + left", active + left == total,
                            total + " = " + active + " + " + left),
                    new Line("Postgres: at most one active order per user", maxPerUser <= 1, "most: " + maxPerUser),
                    agree("Redis and Postgres agree", redisStock, left, recorded, "Redis " + redisStock + ", Postgres " + left));
        }
    }

    private static long single(Connection connection, String sql, String productId) throws SQLException {
        return LabSql.first(connection, Long.class, sql, productId).orElse(-1L);
    }

    public static boolean allPassed(List<Line> lines) {
        return lines.stream().allMatch(Line::passed);
    }

    /** Green and red lines for a terminal. */
    public static String render(List<Line> lines) {
        Function<Line, String> line = l -> (l.passed() ? "\u001b[32m  PASS " : "\u001b[31m  FAIL ") + l.check()
                + "\u001b[0m  (" + l.detail() + ")";
        return lines.stream().map(line).collect(Collectors.joining("\n"));
    }
}
