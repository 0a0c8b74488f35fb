package com.flashsale.local.lab.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.flashsale.local.lab.LabRedis;
import com.flashsale.local.lab.LabSql;
import com.flashsale.local.runtime.LocalEnvironment;
import com.flashsale.local.servers.RealServers;
import io.lettuce.core.codec.StringCodec;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The audit that ends every run (docs/reliability.md), strict: every line reads the data it names
 * (a value missing or a read that failed makes the line red, never zero); it names the request ids
 * or users at fault, not only how many; a difference between Redis and Postgres passes only when
 * Redis lost writes in this run (a rollback the lab struck) and the last reconciliation run recorded
 * exactly that difference and left it open.
 */
public final class Audit {

    /** One line of the audit. */
    public record Line(String check, boolean passed, String detail) {
    }

    public static final String NO_OVERSELL = "no oversell";
    public static final String POSTGRES_BOOKS = "Postgres: stock = active orders + left";
    public static final String STOCK_AGREES = "Redis stock = Postgres stock left";
    public static final String DECIDED_ONCE = "every accepted request decided once: an order if it succeeded, none if it failed";
    public static final String UNITS_BACK = "every failed request and cancelled order gave its unit back in Redis";
    public static final String CONFIRMED = "Postgres confirmed every request Redis admitted";
    public static final String LIMIT = "no user over the limit";
    public static final String BUYERS_AGREE = "Redis and Postgres agree on the buyers";
    public static final String REPLAYS = "replays with the same Idempotency-Key returned the same request";
    public static final String BOTS = "bots without a solved human check got no token and no unit";
    public static final String PAUSE = "a pause refused token and buy within 1 s; after the resume the whole stock sold";

    /** Ids named in a line's detail before "and N more". */
    private static final int NAMED = 5;

    private Audit() {
    }

    /**
     * The whole audit, on a stack this run owns: Postgres and Redis read directly.
     *
     * @param redisLostWrites whether the run rolled Redis back (a soak's fault): only then may Redis and Postgres
     *                        differ, by the difference an open reconciliation record names, and Postgres refuse
     *                        what Redis admitted, for the reasons a lost write causes
     */
    public static List<Line> of(Simulation.Outcome outcome, LocalEnvironment environment, boolean redisLostWrites) {
        return direct(outcome, read(outcome.productId(), environment.database(), Optional.of(environment), outcome.stats()),
                redisLostWrites);
    }

    /**
     * The audit of a stack this run does not own (another URL): the admin stats and the clients' answers
     * are all there is.
     */
    public static List<Line> ofApi(Simulation.Outcome outcome) {
        return throughApi(outcome);
    }

    /** What Postgres and Redis hold about the product, each part read on its own: null where the read failed. */
    private record Books(Long total, Long left, Long limit, Map<String, Order> orders, Map<String, Decision> decisions,
                         Long redisStock, Map<String, String> buyers, Set<String> released, OpenRecord record,
                         List<String> failedReads, boolean redisRead) {

        long active() {
            return orders.values().stream().filter(Order::active).mapToLong(Order::quantity).sum();
        }
    }

    private record Order(String requestId, String userId, int quantity, String status) {
        boolean active() {
            return !"CANCELLED".equals(status);
        }
    }

    private record Decision(String requestId, String userId, String status, String reason) {
    }

    /** The last stock difference recorded for the product, and whether the latest finished run is the one that recorded it. */
    private record OpenRecord(long delta, String action, boolean open) {
    }

    private static List<Line> direct(Simulation.Outcome outcome, Books books, boolean redisLostWrites) {
        List<Line> lines = new ArrayList<>();
        lines.add(check(NO_OVERSELL, books, java.util.Arrays.asList(books.total(), books.orders()), () -> {
            long active = books.active();
            return new Line(NO_OVERSELL, active <= books.total(), active + " active order units for " + books.total()
                    + " units");
        }));
        lines.add(check(POSTGRES_BOOKS, books, java.util.Arrays.asList(books.total(), books.left(), books.orders()), () -> {
            long active = books.active();
            return new Line(POSTGRES_BOOKS, active + books.left() == books.total(),
                    books.total() + " = " + active + " + " + books.left());
        }));
        lines.add(check(STOCK_AGREES, books, java.util.Arrays.asList(books.redisStock(), books.left()), () -> stockAgrees(books, redisLostWrites)));
        lines.add(check(DECIDED_ONCE, books, java.util.Arrays.asList(books.orders(), books.decisions()), () -> decidedOnce(outcome, books)));
        if (books.redisRead()) {
            lines.add(check(UNITS_BACK, books, java.util.Arrays.asList(books.orders(), books.decisions(), books.released()), () -> {
            Set<String> owed = new HashSet<>();
            books.decisions().values().stream().filter(d -> "FAILED".equals(d.status())).forEach(d -> owed.add(d.requestId()));
            books.orders().values().stream().filter(o -> !o.active()).forEach(o -> owed.add(o.requestId()));
            List<String> missing = owed.stream().filter(id -> !books.released().contains(id)).sorted().toList();
            return new Line(UNITS_BACK, missing.isEmpty(), owed.size() + " owed a unit back; not released: " + named(missing));
            }));
        }
        lines.add(check(CONFIRMED, books, java.util.Arrays.asList(books.decisions(), books.orders()),
                () -> confirmed(outcome, books, redisLostWrites)));
        lines.add(check(LIMIT, books, java.util.Arrays.asList(books.limit(), books.orders()), () -> {
            Map<String, Long> units = books.orders().values().stream().filter(Order::active)
                    .collect(Collectors.groupingBy(Order::userId, TreeMap::new, Collectors.summingLong(Order::quantity)));
            List<String> over = units.entrySet().stream().filter(e -> e.getValue() > books.limit())
                    .map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
            List<String> twice = clientsOverLimit(outcome);
            return new Line(LIMIT, over.isEmpty() && twice.isEmpty(), "limit " + books.limit() + "; in Postgres over it: "
                    + named(over) + "; told SUCCESS twice: " + named(twice));
        }));
        if (books.redisRead()) {
            lines.add(check(BUYERS_AGREE, books, java.util.Arrays.asList(books.buyers(), books.orders()),
                    () -> buyersAgree(books, redisLostWrites)));
        }
        lines.add(replays(outcome, books, redisLostWrites));
        bots(outcome).ifPresent(lines::add);
        pause(outcome).ifPresent(lines::add);
        return lines;
    }

    /** A line whose inputs could not all be read is red and says which read failed. */
    private static Line check(String name, Books books, List<Object> inputs, java.util.function.Supplier<Line> line) {
        if (inputs.stream().anyMatch(java.util.Objects::isNull)) {
            return new Line(name, false, "not read: " + String.join("; ", books.failedReads()));
        }
        return line.get();
    }

    private static Line stockAgrees(Books books, boolean redisLostWrites) {
        long difference = books.redisStock() - books.left();
        String detail = "Redis " + books.redisStock() + ", Postgres " + books.left();
        if (difference == 0) {
            return new Line(STOCK_AGREES, true, detail);
        }
        OpenRecord record = books.record();
        // only excess (Redis lost the writes that took units) is a lost write's mark, and only while the record is open
        boolean explained = redisLostWrites && difference > 0 && record != null && record.open()
                && record.delta() == difference && record.action().startsWith("RECORDED");
        return new Line(STOCK_AGREES, explained, detail + "; last recorded difference: " + (record == null ? "none"
                : record.delta() + " (" + record.action().split(":")[0] + (record.open() ? ", open" : ", since superseded") + ")")
                + (explained ? "; Redis lost writes in this run's rollback" : ""));
    }

    private static Line decidedOnce(Simulation.Outcome outcome, Books books) {
        List<String> wrong = new ArrayList<>();
        for (String requestId : new java.util.TreeSet<>(outcome.acceptedByRequest().keySet())) {
            Decision decision = books.decisions().get(requestId);
            Order order = books.orders().get(requestId);
            String seen = outcome.finalStatus().get(requestId);
            if (decision == null) {
                wrong.add(requestId + " undecided" + (order == null ? "" : " yet ordered"));
            } else if ("SUCCESS".equals(decision.status()) != (order != null)) {
                wrong.add(requestId + " " + decision.status() + (order == null ? " without an order" : " with an order"));
            } else if (seen == null) {
                wrong.add(requestId + " " + decision.status() + ", never told its client");
            } else if (!seen.equals(decision.status())) {
                wrong.add(requestId + " " + decision.status() + ", told " + seen);
            }
        }
        return new Line(DECIDED_ONCE, wrong.isEmpty(), outcome.acceptedByRequest().size() + " accepted; wrong: " + named(wrong));
    }

    private static Line confirmed(Simulation.Outcome outcome, Books books, boolean redisLostWrites) {
        Set<String> activeHolders = books.orders().values().stream().filter(Order::active).map(Order::userId)
                .collect(Collectors.toSet());
        List<String> refused = new ArrayList<>();
        List<String> unexplained = new ArrayList<>();
        for (String requestId : new java.util.TreeSet<>(outcome.acceptedByRequest().keySet())) {
            Decision decision = books.decisions().get(requestId);
            if (decision == null || !"FAILED".equals(decision.status())) {
                continue;
            }
            refused.add(requestId + " " + decision.reason());
            // a rollback lets Redis admit again a user it forgot (who holds another order), or sell a unit already
            // sold; each such refusal gives its unit back to Redis, which admits the next buyer for it, until the
            // reconciliation retires the excess (only with nothing in flight): nothing else explains a refusal
            boolean lostWrite = redisLostWrites && ("SOLD_OUT".equals(decision.reason())
                    || "ALREADY_PURCHASED".equals(decision.reason()) && activeHolders.contains(decision.userId()));
            if (!lostWrite) {
                unexplained.add(requestId + " " + decision.reason());
            }
        }
        return new Line(CONFIRMED, unexplained.isEmpty(), refused.size() + " refused by Postgres: " + named(refused)
                + (redisLostWrites ? "; not explained by the rollback: " + named(unexplained) : ""));
    }

    private static Line buyersAgree(Books books, boolean redisLostWrites) {
        Map<String, String> holders = books.orders().values().stream().filter(Order::active)
                .collect(Collectors.toMap(Order::userId, Order::requestId, (a, b) -> a + "," + b, TreeMap::new));
        List<String> missing = holders.entrySet().stream().filter(e -> !e.getValue().equals(books.buyers().get(e.getKey())))
                .map(e -> e.getKey() + " (order of " + e.getValue() + ", Redis " + books.buyers().get(e.getKey()) + ")").toList();
        List<String> extra = books.buyers().entrySet().stream().filter(e -> !holders.containsKey(e.getKey()))
                .map(e -> e.getKey() + " (" + e.getValue() + ")").sorted().toList();
        // a rollback restores a buyers hash from before some purchases: those users are missing, never extra
        boolean passed = extra.isEmpty() && (missing.isEmpty() || redisLostWrites
                && missing.stream().allMatch(m -> m.endsWith("Redis null)")));
        return new Line(BUYERS_AGREE, passed, holders.size() + " users hold an active order, Redis holds " + books.buyers().size()
                + "; missing or wrong in Redis: " + named(missing) + "; in Redis without an order: " + named(extra));
    }

    /** Only for a sale with a bot crowd: none of their tries got a token, none of them a unit. */
    private static Optional<Line> bots(Simulation.Outcome outcome) {
        if (outcome.plan().bots() == 0) {
            return Optional.empty();
        }
        HumanCheckPlay.Tally bots = outcome.bots();
        long units = outcome.botUnits();
        return Optional.of(new Line(BOTS, bots.totalTokens() == 0 && units == 0, outcome.plan().bots() + " bots tried "
                + bots.totalAttempts() + " times " + bots.attempts() + ": tokens " + bots.tokens() + ", units " + units));
    }

    /** Only for a sale an admin paused ({@link PauseWatch}): refused within the limit, then sold out after the resume. */
    private static Optional<Line> pause(Simulation.Outcome outcome) {
        PauseWatch.Seen seen = outcome.pause();
        if (seen == null) {
            return Optional.empty();
        }
        long sold = outcome.finalStatus().values().stream().filter("SUCCESS"::equals).count();
        return Optional.of(new Line(PAUSE, seen.held() && sold == outcome.plan().stock(), seen.acceptedBefore() + " buys accepted before the pause; SALE_PAUSED to "
                + seen.tokenRefusals()
                + " tokens, " + seen.buyRefusals() + " buys; granted after the pause answered (sent): last token "
                + seen.figures().get("pause: last token granted (sent after)") + ", last buy "
                + seen.figures().get("pause: last buy accepted (sent after)") + " (limit " + PauseWatch.LIMIT.toMillis()
                + " ms); after the resume " + seen.acceptedAfterResume() + " buys accepted; sold " + sold + " of "
                + outcome.plan().stock()));
    }

    private static Line replays(Simulation.Outcome outcome) {
        return new Line(REPLAYS, outcome.replayViolations().isEmpty(), outcome.replayViolations().size() + " violations: "
                + named(replays(outcome.replayViolations().entrySet().stream())));
    }

    /**
     * A rollback can take an Idempotency-Key's record with it: the replay is then admitted as a new
     * request (its token's spent mark and the buyer mark went too), and Postgres keeps one of the two,
     * refusing the other, whose unit goes back. Only that is explained.
     */
    private static Line replays(Simulation.Outcome outcome, Books books, boolean redisLostWrites) {
        if (!redisLostWrites) {
            return replays(outcome);
        }
        List<String> unexplained = replays(outcome.replayViolations().entrySet().stream()
                .filter(v -> !failed(books, v.getKey()) && !failed(books, v.getValue())));
        return new Line(REPLAYS, unexplained.isEmpty(), outcome.replayViolations().size() + " violations; not explained"
                + " by the rollback: " + named(unexplained));
    }

    private static boolean failed(Books books, String requestId) {
        Decision decision = books.decisions().get(requestId);
        return decision != null && "FAILED".equals(decision.status());
    }

    private static List<String> replays(java.util.stream.Stream<Map.Entry<String, String>> violations) {
        return violations.map(v -> v.getKey() + " replayed as " + v.getValue()).sorted().toList();
    }

    /** Users told SUCCESS for more than one request. */
    private static List<String> clientsOverLimit(Simulation.Outcome outcome) {
        return outcome.acceptedByRequest().entrySet().stream()
                .filter(e -> "SUCCESS".equals(outcome.finalStatus().get(e.getKey())))
                .collect(Collectors.groupingBy(Map.Entry::getValue, TreeMap::new, Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    }

    /** @param stack whose Redis (one server or the cluster) to read directly; empty: its stock from the admin stats, its sets not read */
    private static Books read(String productId, RealServers.Database database, Optional<LocalEnvironment> stack, JsonNode stats) {
        List<String> failed = new ArrayList<>();
        Long total = null;
        Long left = null;
        Long limit = null;
        Map<String, Order> orders = null;
        Map<String, Decision> decisions = null;
        OpenRecord record = null;
        try (Connection connection = database.connect()) {
            total = LabSql.first(connection, Long.class, "SELECT stock_total::bigint FROM product WHERE id = ?", productId).orElse(null);
            left = LabSql.first(connection, Long.class, "SELECT stock_left::bigint FROM product WHERE id = ?", productId).orElse(null);
            limit = LabSql.first(connection, Long.class, "SELECT limit_per_user::bigint FROM product WHERE id = ?", productId)
                    .orElse(null);
            if (total == null || left == null || limit == null) {
                failed.add("no product row " + productId + " in Postgres");
            }
            orders = LabSql.rows(connection, "SELECT request_id, user_id, quantity, status FROM purchase_order WHERE product_id = ?",
                    row -> new Order(row.getString(1), row.getString(2), row.getInt(3), row.getString(4)), productId)
                    .stream().collect(Collectors.toMap(Order::requestId, o -> o));
            decisions = LabSql.rows(connection, "SELECT request_id, user_id, status, reason FROM purchase_request WHERE product_id = ?",
                    row -> new Decision(row.getString(1), row.getString(2), row.getString(3), row.getString(4)), productId)
                    .stream().collect(Collectors.toMap(Decision::requestId, d -> d));
            record = LabSql.rows(connection, "SELECT d.delta, d.action, d.run_id = (SELECT max(id) FROM reconciliation_run "
                    + "WHERE finished_at IS NOT NULL) FROM reconciliation_discrepancy d WHERE d.product_id = ? "
                    + "AND d.kind = 'STOCK_INVARIANT' ORDER BY d.id DESC LIMIT 1",
                    row -> new OpenRecord(row.getLong(1), row.getString(2), row.getBoolean(3)), productId).stream().findFirst().orElse(null);
        } catch (SQLException | RuntimeException e) {
            failed.add("Postgres: " + e);
        }
        Long redisStock = null;
        Map<String, String> buyers = null;
        Set<String> released = null;
        if (stack.isEmpty()) {
            redisStock = number(stats, "redisStock");
            if (redisStock == null) {
                failed.add("the stats answered redisStock=" + (stats == null ? "nothing" : stats.get("redisStock")));
            }
            return new Books(total, left, limit, orders, decisions, redisStock, null, null, record, failed, false);
        }
        try (LabRedis<String, String> redis = LabRedis.connect(stack.get(), StringCodec.UTF8)) {
            ProductShards shards = ProductShards.of(redis.sync(), productId);
            redisStock = shards.stock();
            if (redisStock == null) {
                failed.add("no Redis stock key " + shards.missingStockKey());
            }
            buyers = shards.buyers();
            released = shards.released();
        } catch (RuntimeException e) {
            failed.add("Redis: " + e);
        }
        return new Books(total, left, limit, orders, decisions, redisStock, buyers, released, record, failed, true);
    }

    /** A stack this run does not own: the admin stats (Postgres and Redis as the admin function reads them) and the clients' answers. */
    private static List<Line> throughApi(Simulation.Outcome outcome) {
        JsonNode stats = outcome.stats();
        Long stock = number(stats, "stock");
        Long stockLeft = number(stats, "stockLeft");
        Long redisStock = number(stats, "redisStock");
        Long orders = number(stats, "orders");
        Long cancelled = number(stats, "cancelled");
        List<Line> lines = new ArrayList<>();
        lines.add(orders == null || cancelled == null || stock == null
                ? unread(NO_OVERSELL, stats, "stock", "orders", "cancelled")
                : new Line(NO_OVERSELL, orders - cancelled <= stock, (orders - cancelled) + " active orders for " + stock + " units"));
        lines.add(redisStock == null || stockLeft == null
                ? unread(STOCK_AGREES, stats, "redisStock", "stockLeft")
                : new Line(STOCK_AGREES, redisStock.equals(stockLeft), "Redis " + redisStock + ", Postgres " + stockLeft));
        List<String> wrong = outcome.acceptedByRequest().keySet().stream().sorted()
                .filter(id -> !Simulation.isFinal(outcome.finalStatus().get(id)))
                .map(id -> id + " " + outcome.finalStatus().getOrDefault(id, "never read")).toList();
        lines.add(new Line(DECIDED_ONCE, wrong.isEmpty(), outcome.acceptedByRequest().size()
                + " accepted; not decided as their clients last read: " + named(wrong)));
        List<String> refused = outcome.acceptedByRequest().keySet().stream().sorted()
                .filter(id -> "FAILED".equals(outcome.finalStatus().get(id))).toList();
        lines.add(new Line(CONFIRMED, refused.isEmpty(), refused.size() + " refused by Postgres: " + named(refused)));
        List<String> twice = clientsOverLimit(outcome);
        lines.add(new Line(LIMIT, twice.isEmpty(), "told SUCCESS twice: " + named(twice)));
        lines.add(replays(outcome));
        bots(outcome).ifPresent(lines::add);
        pause(outcome).ifPresent(lines::add);
        return lines;
    }

    /** A stats field as a number; null when missing, null or not a number. */
    private static Long number(JsonNode stats, String field) {
        JsonNode value = stats == null ? null : stats.get(field);
        return value == null || !value.isIntegralNumber() ? null : value.asLong();
    }

    private static Line unread(String check, JsonNode stats, String... fields) {
        return new Line(check, false, "not read: the stats answered " + java.util.Arrays.stream(fields)
                .map(f -> f + "=" + (stats == null ? "nothing" : stats.get(f))).collect(Collectors.joining(", ")));
    }

    /** The first few, then how many more. */
    static String named(Collection<String> items) {
        if (items.isEmpty()) {
            return "none";
        }
        String first = items.stream().limit(NAMED).collect(Collectors.joining(", "));
        return items.size() > NAMED ? first + " and " + (items.size() - NAMED) + " more" : first;
    }

    public static boolean allPassed(List<Line> lines) {
        return lines.stream().allMatch(Line::passed);
    }

    /** The checks of the red lines. */
    public static List<String> red(List<Line> lines) {
        return lines.stream().filter(l -> !l.passed()).map(Line::check).toList();
    }

    /** Green and red lines for a terminal. */
    public static String render(List<Line> lines) {
        Function<Line, String> line = l -> (l.passed() ? "\u001b[32m  PASS " : "\u001b[31m  FAIL ") + l.check()
                + "\u001b[0m  (" + l.detail() + ")";
        return lines.stream().map(line).collect(Collectors.joining("\n"));
    }
}
