package com.flashsale.local.lab.simulate;

import com.flashsale.local.lab.LabRedis;
import com.flashsale.local.lab.LabSql;
import com.flashsale.local.lab.Deadline;
import com.flashsale.local.runtime.LocalEnvironment;
import io.lettuce.core.codec.StringCodec;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A soak: a sale of a few minutes with faults injected at moments drawn from a seeded
 * {@link Random} (the same seed replays the same faults at the same moments and for the same
 * time), each held for a short while and then healed, one at a time. When the users are done it
 * drains: reconciliation runs until every accepted request is decided in Postgres and every failed
 * one has its stock back in Redis (bounded). Then it counts what must be zero.
 */
public final class ChaosSoak implements Simulation.Companion, AutoCloseable {

    /** A fault and its moment after the sale's start. */
    record Planned(Fault fault, Duration at, Duration hold) {
    }

    /**
     * What a soak leaves behind. {@code lost}: answered 202, yet neither an order nor a failed
     * request whose stock went back. A request that the Postgres guard refused after a Redis
     * rollback (SOLD_OUT, ALREADY_PURCHASED) is such a refunded failure, not lost.
     */
    public record Summary(long seed, long requests, long accepted, Map<Fault, Integer> faults, long orders, long active,
                          long paid, long cancelled, Map<String, Long> failed, long stock, long lost, long oversold,
                          long overLimit, boolean settled, List<String> unannounced, Map<String, Long> badInput,
                          List<String> badInputAdmitted, long poisonRecords, long poisonNotDeadLettered,
                          List<FailoverSeen> failovers) {

        /** Settled, and nothing lost, oversold, over the limit, bad input admitted or poison record left undead-lettered. */
        public boolean clean() {
            return lost == 0 && oversold == 0 && overLimit == 0 && settled && badInputAdmitted.isEmpty()
                    && poisonNotDeadLettered == 0;
        }

        public String render() {
            StringBuilder text = new StringBuilder();
            text.append(String.format("  seed                %d (replay: --seed %d)%n", seed, seed));
            text.append(String.format("  requests            %d buy requests, %d accepted (202)%n", requests, accepted));
            text.append(String.format("  faults injected     %d: %s%n", faults.values().stream().mapToInt(i -> i).sum(), faults));
            text.append(String.format("  orders              %d (%d active for %d units: %d paid, %d awaiting payment; "
                    + "%d cancelled unpaid)%n", orders, active, stock, paid, active - paid, cancelled));
            text.append(String.format("  refunded failures   %d %s%n", failed.values().stream().mapToLong(l -> l).sum(), failed));
            text.append(String.format("  lost                %d  (accepted, yet neither an order nor a failure whose stock "
                    + "went back; a request the Postgres guard refused after a Redis rollback is a refunded failure)%n", lost));
            text.append(String.format("  oversold            %d  (active order units beyond the stock)%n", oversold));
            text.append(String.format("  over the limit      %d  (users above the per-user limit)%n", overLimit));
            // not a loss (the order is there, GET /api/flash-sale/orders shows it): what its client was told instead
            text.append(String.format("  unannounced orders  %d  (orders whose client never got their 202)%n", unannounced.size()));
            unannounced.stream().limit(10).forEach(line -> text.append("    ").append(line).append('\n'));
            text.append(String.format("  bad input           %d requests, answered %s; %d not refused with a 4xx JSON error%n",
                    badInput.values().stream().mapToLong(l -> l).sum(), badInput, badInputAdmitted.size()));
            badInputAdmitted.stream().limit(10).forEach(line -> text.append("    ").append(line).append('\n'));
            text.append(String.format("  poison records      %d put on the topic, %d not dead-lettered with their bytes%n",
                    poisonRecords, poisonNotDeadLettered));
            failovers.forEach(failover -> text.append("  redis failover      ").append(failover.render()).append('\n'));
            if (!settled) {
                text.append("  NOT SETTLED: the drain's deadline passed with requests still undecided\n");
            }
            return text.toString();
        }
    }

    /**
     * A failover as the clients lived it: the replica serving the slot {@code tookOver} after the
     * kill, {@code clientErrors} calls unanswered or 5xx, the last {@code lastErrorAfterKill} after
     * it, and {@code acceptedWhileDown} buys accepted after the replica took over and before the old
     * master came back (answers that left before the kill not counted).
     */
    public record FailoverSeen(int killedPort, int newMasterPort, Duration tookOver, int clientErrors,
                               Duration lastErrorAfterKill, long acceptedWhileDown) {

        String render() {
            return String.format("master :%d killed, replica :%d serving after %.1f s; clients saw %d errors (no answer "
                            + "or 5xx), the last %.1f s after the kill; %d buys accepted on the replica while the old master was down",
                    killedPort, newMasterPort, tookOver.toMillis() / 1000.0, clientErrors,
                    lastErrorAfterKill.toMillis() / 1000.0, acceptedWhileDown);
        }
    }

    private static final Duration DRAIN_DEADLINE = Duration.ofMinutes(3);
    /** How long after a kill the clients' errors are counted as the failover's. */
    private static final Duration FAILOVER_ERRORS_WINDOW = Duration.ofSeconds(30);

    private final LocalEnvironment environment;
    private final FaultInjector injector;
    private final long seed;
    private final Random random;
    private final List<Planned> plan;
    private final List<Fault> kinds;
    private final PrintStream out;
    private final Map<Fault, Integer> injected = Collections.synchronizedMap(new EnumMap<>(Fault.class));
    private final AtomicInteger done = new AtomicInteger();
    private final LabRedis<String, String> redis;
    private volatile Fault current;
    private volatile boolean settled;
    private Thread faults;

    /**
     * @param duration how long the sale runs (users keep arriving), the window the faults fall in
     */
    public ChaosSoak(LocalEnvironment environment, long seed, Duration duration, PrintStream out) {
        this(environment, seed, plan(new Random(seed), duration, possible(environment, out)), out);
    }

    /** A soak with the faults given, the seed choosing only which function crashes. */
    ChaosSoak(LocalEnvironment environment, long seed, List<Planned> plan, PrintStream out) {
        this.environment = environment;
        this.kinds = possible(environment, null);
        this.injector = new FaultInjector(environment);
        this.seed = seed;
        this.random = new Random(seed);
        this.plan = List.copyOf(plan);
        this.out = out;
        this.redis = LabRedis.connect(environment, StringCodec.UTF8);
    }

    /** The kinds of fault this environment can take; says which it skips when {@code out} is given. */
    private static List<Fault> possible(LocalEnvironment environment, PrintStream out) {
        boolean cluster = environment.redisCluster().isPresent();
        List<Fault> kinds = new ArrayList<>();
        for (Fault fault : Fault.values()) {
            if (fault.possibleOn(cluster)) {
                kinds.add(fault);
            } else if (out != null) {
                out.printf("chaos: %s skipped: Redis is one standalone server (--redis-cluster runs it)%n", fault);
            }
        }
        return kinds;
    }

    /**
     * Every kind once (in a seeded order), then kinds at random: about one fault per 20 s of the
     * sale, each at a random moment in its own slot of the sale's first two thirds (a restart takes
     * longer than its slot on a busy machine; the last third shows the system selling after them).
     */
    static List<Planned> plan(Random random, Duration duration, List<Fault> possible) {
        List<Fault> kinds = new ArrayList<>(possible);
        Collections.shuffle(kinds, random);
        int count = (int) Math.max(kinds.size(), duration.toSeconds() / 20);
        while (kinds.size() < count) {
            kinds.add(possible.get(random.nextInt(possible.size())));
        }
        Duration slot = duration.multipliedBy(2).dividedBy(3).dividedBy(count);
        List<Planned> planned = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Duration at = slot.multipliedBy(i).plusMillis((long) (random.nextDouble() * slot.toMillis() / 2));
            Duration hold = Duration.ofMillis(1_000 + random.nextInt(4_000));
            planned.add(new Planned(kinds.get(i), at, hold));
        }
        return planned;
    }

    /**
     * The functions' settings for a soak, read at their cold start: orders expire within the soak,
     * and a reconciliation run killed by a fault holds its lease for seconds, not five minutes.
     */
    public static Map<String, String> functionSettings(Duration paymentWindow) {
        return Map.of("flashsale.payment-window", paymentWindow.toMillis() + "ms",
                "flashsale.reconciliation.lease-ttl", "30s");
    }

    /** Batches the consumer got a second time, as after a crash between its commit and the trigger's. */
    long redeliveries() {
        return injector.redeliveries();
    }

    /**
     * Whether a fault rolled Redis back or failed it over (asynchronous replication: the replica may
     * miss the last acknowledged writes), so that Redis may admit what Postgres no longer has.
     */
    public boolean redisLostWrites() {
        return injected.containsKey(Fault.REDIS_ROLLBACK) || injected.containsKey(Fault.REDIS_FAILOVER);
    }

    List<Planned> planned() {
        return plan;
    }

    @Override
    public void saleOpened(String productId, Instant startsAt) {
        out.printf("chaos: seed %d, %d faults planned%n", seed, plan.size());
        faults = new Thread(() -> inject(productId, startsAt), "chaos");
        faults.setDaemon(true);
        faults.start();
    }

    private void inject(String productId, Instant startsAt) {
        for (Planned planned : plan) {
            try {
                Thread.sleep(Math.max(0, Duration.between(Instant.now(), startsAt.plus(planned.at())).toMillis()));
                current = planned.fault();
                double at = Duration.between(startsAt, Instant.now()).toMillis() / 1000.0;
                long started = System.nanoTime();
                String what = injector.inject(planned.fault(), planned.hold(), productId, random);
                injected.merge(planned.fault(), 1, Integer::sum);
                out.printf("%nchaos: %-25s at %5.1f s, healed after %4.1f s: %s%n", planned.fault(), at,
                        (System.nanoTime() - started) / 1e9, what);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | SQLException e) {
                out.printf("%nchaos: %s could not be injected: %s%n", planned.fault(), e);
            } finally {
                current = null;
                done.incrementAndGet();
            }
        }
    }

    @Override
    public String status() {
        Fault now = current;
        return String.format("  faults %d/%d%s", done.get(), plan.size(), now == null ? "" : " (now " + now + ")");
    }

    /** Waits for the last fault to heal, then drains: reconciliation until everything accepted is settled. */
    @Override
    public void buyPhaseOver(String productId, Set<String> accepted) throws InterruptedException {
        faults.join();
        long started = System.nanoTime();
        AtomicInteger unsettled = new AtomicInteger(Integer.MAX_VALUE);
        settled = Deadline.await(DRAIN_DEADLINE, Duration.ofSeconds(1), () -> {
            environment.scheduler().fire();
            unsettled.set(unsettled(productId, accepted));
            return unsettled.get() == 0;
        });
        // the books close with the sale: no unpaid order expires between the audit's reads of Redis and Postgres
        environment.scheduler().close();
        out.printf("drain: %s after %.1f s%n", settled ? "every accepted request settled"
                : unsettled.get() + " accepted requests still unsettled", (System.nanoTime() - started) / 1e9);
    }

    /**
     * Accepted requests not yet settled, cancelled orders whose unit Redis has not yet taken back,
     * and outbox entries not yet re-driven. Settled: an order, or a failure whose stock Redis took back.
     */
    private int unsettled(String productId, Set<String> accepted) throws SQLException {
        ProductShards shards = ProductShards.of(redis.sync(), productId);
        Set<String> released = shards.released();
        try (Connection connection = environment.database().connect()) {
            long unreleased = LabSql.strings(connection, "SELECT request_id FROM purchase_order WHERE product_id = ? "
                    + "AND status = 'CANCELLED'", productId).stream().filter(id -> !released.contains(id)).count();
            return unsettled(connection, productId, accepted).size() + (int) unreleased
                    + (int) shards.outboxLength();
        }
    }

    private List<String> unsettled(Connection connection, String productId, Set<String> accepted) throws SQLException {
        Set<String> released = ProductShards.of(redis.sync(), productId).released();
        Set<String> ordered = new HashSet<>(LabSql.strings(connection,
                "SELECT request_id FROM purchase_order WHERE product_id = ?", productId));
        Set<String> failed = new HashSet<>(LabSql.strings(connection,
                "SELECT request_id FROM purchase_request WHERE product_id = ? AND status = 'FAILED'", productId));
        return accepted.stream()
                .filter(id -> !ordered.contains(id) && !(failed.contains(id) && released.contains(id)))
                .toList();
    }

    /** The soak's numbers, from Postgres (the truth) and Redis' record of released stock. */
    public Summary summarize(Simulation.Outcome outcome) throws SQLException {
        String productId = outcome.productId();
        try (Connection connection = environment.database().connect()) {
            long lost = unsettled(connection, productId, outcome.acceptedByRequest().keySet()).size();
            Map<String, Long> byReason = new LinkedHashMap<>();
            LabSql.strings(connection, "SELECT reason || '=' || count(*) FROM purchase_request WHERE product_id = ? "
                    + "AND status = 'FAILED' GROUP BY reason ORDER BY reason", productId)
                    .forEach(row -> byReason.put(row.substring(0, row.indexOf('=')), Long.parseLong(row.substring(row.indexOf('=') + 1))));
            long stock = number(connection, "SELECT stock_total::bigint FROM product WHERE id = ?", productId);
            long limit = number(connection, "SELECT limit_per_user::bigint FROM product WHERE id = ?", productId);
            long active = number(connection, "SELECT coalesce(sum(quantity), 0) FROM purchase_order "
                    + "WHERE product_id = ? AND status <> 'CANCELLED'", productId);
            long overLimit = number(connection, "SELECT count(*) FROM (SELECT user_id FROM purchase_order "
                    + "WHERE product_id = ? AND status <> 'CANCELLED' GROUP BY user_id HAVING sum(quantity) > " + limit + ") u",
                    productId);
            Map<Fault, Integer> faultCounts = new EnumMap<>(Fault.class);
            for (Fault fault : kinds) {
                faultCounts.put(fault, injected.getOrDefault(fault, 0));
            }
            return new Summary(seed, outcome.recorder().total(), outcome.acceptedByRequest().size(), faultCounts,
                    number(connection, "SELECT count(*) FROM purchase_order WHERE product_id = ?", productId),
                    active,
                    number(connection, "SELECT count(*) FROM purchase_order WHERE product_id = ? AND status = 'PAID'", productId),
                    number(connection, "SELECT count(*) FROM purchase_order WHERE product_id = ? AND status = 'CANCELLED'",
                            productId),
                    byReason, stock, lost, Math.max(0, active - stock), overLimit, settled, unannounced(connection, outcome),
                    injector.badInput().answers(), injector.badInput().misanswered(), injector.poisonRecords().size(),
                    notDeadLettered(connection), failovers(outcome.recorder()));
        }
    }

    /** Each failover: who took over how fast, how long clients got no answer or a 5xx, and whether buys went on. */
    private List<FailoverSeen> failovers(BuyRecorder recorder) {
        List<Long> errors = recorder.clientErrors();
        return injector.failovers().stream().map(killed -> {
            long from = killed.atNanos();
            List<Long> seen = errors.stream().filter(at -> at >= from && at < from + FAILOVER_ERRORS_WINDOW.toNanos()).toList();
            return new FailoverSeen(killed.failover().killedPort(), killed.failover().newMasterPort(),
                    killed.failover().tookOver(), seen.size(),
                    Duration.ofNanos(seen.isEmpty() ? 0 : seen.get(seen.size() - 1) - from),
                    recorder.acceptedBetween(from + killed.failover().tookOver().toNanos(), killed.backNanos()));
        }).toList();
    }

    /** Poison records with no dead letter holding their exact bytes. */
    private long notDeadLettered(Connection connection) throws SQLException {
        long missing = 0;
        for (FaultInjector.PoisonRecord poison : injector.poisonRecords()) {
            byte[] deadLetter = LabSql.first(connection, byte[].class, "SELECT record_value FROM dead_letter "
                    + "WHERE topic = ? AND partition = ? AND record_offset = ?", environment.topic(), poison.partition(),
                    poison.offset()).orElse(null);
            missing += Arrays.equals(deadLetter, poison.value()) ? 0 : 1;
        }
        return missing;
    }

    /** Orders no 202 announced, each with every answer its user's buy calls got. */
    private static List<String> unannounced(Connection connection, Simulation.Outcome outcome) throws SQLException {
        List<String> lines = new ArrayList<>();
        for (String row : LabSql.strings(connection, "SELECT request_id || ' ' || user_id FROM purchase_order WHERE product_id = ? "
                + "ORDER BY created_at", outcome.productId())) {
            String[] order = row.split(" ");
            if (!outcome.acceptedByRequest().containsKey(order[0])) {
                lines.add(String.format("%s of %s, whose buy calls were answered %s", order[0], order[1],
                        outcome.buyAnswers().getOrDefault(order[1], List.of())));
            }
        }
        return lines;
    }

    private static long number(Connection connection, String sql, String productId) throws SQLException {
        return LabSql.first(connection, Long.class, sql, productId).orElseThrow();
    }

    @Override
    public void close() {
        if (faults != null) {
            faults.interrupt();
        }
        injector.close();
        redis.close();
    }
}
