package com.flashsale.reconciliation;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.db.OrderRepository;
import com.flashsale.shared.event.OrderEvent;
import com.flashsale.shared.redis.RedisKeys;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// not transactional: each run commits its own transactions, and the test reads them back on a connection of its own
@MicronautTest(transactional = false)
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconciliationTest implements TestPropertyProvider {

    private final RealServers servers;
    private final RealServers.Database database;
    @Inject
    ApplicationContext context;
    ReconciliationFixture fixture;

    ReconciliationTest(RealServers servers) {
        this.servers = servers;
        this.database = servers.freshDatabase("reconciliation");
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = ReconciliationFixture.properties(servers, database);
        properties.put("flashsale.reconciliation.redrive-after", "1h");
        return properties;
    }

    @BeforeAll
    void start() {
        fixture = new ReconciliationFixture(database, context);
    }

    @Test
    void shouldCancelOnce_whenPaymentWindowPassed_andLetTheUserBuyAgain() {
        String productId = fixture.productOnSale(5);
        OrderEvent order = fixture.admit(productId, "alice");
        fixture.persist(order, Duration.ofSeconds(-1));
        assertThat(fixture.redisStock(productId)).isEqualTo(4);

        RunSummary first = fixture.run();
        RunSummary second = fixture.run();

        assertThat(first.acted()).isTrue();
        assertThat(first.count(Actions.CANCELLED)).isEqualTo(1);
        assertThat(first.count(Actions.STOCK_RELEASED)).isEqualTo(1);
        assertThat(second.count(Actions.CANCELLED)).isZero();
        assertThat(second.count(Actions.STOCK_RELEASED)).isZero();
        assertThat(fixture.query("SELECT status, cancelled_at IS NOT NULL FROM purchase_order WHERE request_id = ?",
                order.requestId())).containsExactly("CANCELLED|true");
        assertThat(fixture.number("SELECT stock_left FROM product WHERE id = ?", productId)).isEqualTo(5);
        assertThat(fixture.redisStock(productId)).isEqualTo(5);
        // a payment callback after the cancel is refused by the product's guarded update (the admin function answers 409)
        String orderId = fixture.query("SELECT id FROM purchase_order WHERE request_id = ?", order.requestId()).get(0);
        assertThat(context.getBean(OrderRepository.class).pay(orderId)).isZero();
        assertThat(fixture.query("SELECT status FROM purchase_order WHERE id = ?", orderId)).containsExactly("CANCELLED");
        // the slot is free again, in Redis and in Postgres
        OrderEvent again = fixture.admit(productId, "alice");
        assertThat(again).isNotNull();
        assertThat(fixture.persist(again, Duration.ofMinutes(15))).isTrue();
        assertThat(fixture.number("SELECT count(*) FROM purchase_order WHERE product_id = ? AND user_id = 'alice' "
                + "AND status <> 'CANCELLED'", productId)).isEqualTo(1);
    }

    @Test
    void shouldLeaveThePaidOrderAlone_whenItWasPaidInTime() {
        String productId = fixture.productOnSale(5);
        OrderEvent order = fixture.admit(productId, "bob");
        fixture.persist(order, Duration.ofSeconds(-1));
        fixture.sql("UPDATE purchase_order SET status = 'PAID', paid_at = now() WHERE request_id = ?", order.requestId());

        fixture.run();

        assertThat(fixture.query("SELECT status FROM purchase_order WHERE request_id = ?", order.requestId()))
                .containsExactly("PAID");
        assertThat(fixture.redisStock(productId)).isEqualTo(4);
    }

    @Test
    void shouldEndAsOneRunWould_whenTwoRunsStartAtTheSameInstant() throws Exception {
        String productId = fixture.productOnSale(10);
        for (int i = 0; i < 3; i++) {
            fixture.persist(fixture.admit(productId, "late-payer-" + i), Duration.ofSeconds(-1));
        }
        fixture.redis.incrby(RedisKeys.product(productId).stock(), 2); // a discrepancy to record and repair, once

        List<RunSummary> summaries = runConcurrently(2);

        assertThat(summaries).anyMatch(RunSummary::acted);
        assertThat(summaries.stream().mapToLong(s -> s.count(Actions.CANCELLED)).sum()).isEqualTo(3);
        assertThat(summaries.stream().mapToLong(s -> s.count(Actions.STOCK_RELEASED)).sum()).isEqualTo(3);
        assertThat(fixture.number("SELECT stock_left FROM product WHERE id = ?", productId)).isEqualTo(10);
        assertThat(fixture.redisStock(productId)).as("three released, the two that never existed retired").isEqualTo(10);
        assertThat(summaries.stream().mapToLong(s -> s.count(Actions.STOCK_RETIRED)).sum()).isEqualTo(2);
        assertThat(fixture.number("SELECT count(*) FROM reconciliation_discrepancy WHERE product_id = ?", productId))
                .isEqualTo(1);
        if (summaries.stream().allMatch(RunSummary::acted)) {
            // both acted only because one had finished before the other took the lease
            assertThat(summaries.get(0).fence()).isNotEqualTo(summaries.get(1).fence());
        }
    }

    private List<RunSummary> runConcurrently(int runs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<RunSummary>> futures = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                futures.add(pool.submit((Callable<RunSummary>) () -> {
                    start.await();
                    return fixture.run();
                }));
            }
            start.countDown();
            List<RunSummary> summaries = new ArrayList<>();
            for (Future<RunSummary> future : futures) {
                summaries.add(future.get());
            }
            return summaries;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void shouldSkip_whenAnotherRunHoldsTheLease() throws Exception {
        Lease lease = fixture.context.getBean(Lease.class);
        long fence = lease.acquire("someone-else").orElseThrow();
        try {
            RunSummary skipped = fixture.run();

            assertThat(skipped.acted()).isFalse();
            assertThat(skipped.count("leaseBusy")).isEqualTo(1);
        } finally {
            lease.release(fence);
        }
    }

    @Test
    void shouldRefuseAFencedWrite_whenANewerRunTookTheLease() throws Exception {
        Lease lease = fixture.context.getBean(Lease.class);
        long stale = lease.acquire("paused-run").orElseThrow();
        lease.release(stale);
        long current = lease.acquire("new-run").orElseThrow();
        try {
            assertThatThrownBy(() -> lease.fenced(stale, () -> 1)).isInstanceOf(LeaseLostException.class);
            assertThat(lease.<Integer>fenced(current, () -> 1)).isEqualTo(1);
        } finally {
            lease.release(current);
        }
    }

    @Test
    void shouldRebuildTheKeys_whenRedisLostThemMidSale_andNeverSellMoreThanTheStock() {
        String productId = fixture.productOnSale(20);
        List<OrderEvent> persisted = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            OrderEvent event = fixture.admit(productId, "early-" + i);
            fixture.persist(event, Duration.ofMinutes(15));
            persisted.add(event);
        }
        List<OrderEvent> inKafka = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            inKafka.add(fixture.admit(productId, "in-flight-" + i));
        }
        fixture.clearOutbox(productId); // published: they wait in Kafka, not in the outbox
        fixture.redis.del(fixture.redis.keys(RedisKeys.product(productId).pattern()).toArray(String[]::new));

        RunSummary rebuild = fixture.run();

        assertThat(rebuild.count(Actions.REBUILT)).isEqualTo(1);
        assertThat(fixture.redisStock(productId)).isEqualTo(14);
        assertThat(fixture.redis.hgetall(RedisKeys.product(productId).buyers()))
                .hasSize(6).containsEntry("early-0", persisted.get(0).requestId());
        assertThat(fixture.query("SELECT kind, action FROM reconciliation_discrepancy WHERE product_id = ?", productId))
                .singleElement().asString().startsWith("REDIS_KEYS_LOST|REBUILT");
        assertThat(fixture.admit(productId, "early-1")).as("a buyer Redis forgot is still known").isNull();

        // the sale goes on: the requests still in Kafka arrive, and the crowd buys what Redis offers
        inKafka.forEach(event -> fixture.persist(event, Duration.ofMinutes(15)));
        int sold = 10;
        for (int i = 0; i < 30; i++) {
            OrderEvent event = fixture.admit(productId, "crowd-" + i);
            if (event != null && fixture.persist(event, Duration.ofMinutes(15))) {
                sold++;
            }
        }
        fixture.run();

        assertThat(sold).isEqualTo(20);
        assertThat(fixture.number("SELECT coalesce(sum(quantity), 0) FROM purchase_order WHERE product_id = ? "
                + "AND status <> 'CANCELLED'", productId)).isEqualTo(20);
        assertThat(fixture.number("SELECT stock_left FROM product WHERE id = ?", productId)).isZero();
    }

    @Test
    void shouldKeepTheSalePaused_whenItRebuildsTheKeysRedisLost() {
        String productId = fixture.productOnSale(5);
        fixture.sql("UPDATE product SET paused = true WHERE id = ?", productId);
        fixture.redis.del(fixture.redis.keys(RedisKeys.product(productId).pattern()).toArray(String[]::new));

        fixture.run();

        assertThat(fixture.redisStock(productId)).isEqualTo(5);
        assertThat(fixture.redis.hget(RedisKeys.product(productId).meta(), "paused")).as("the admin's pause").isEqualTo("1");
    }

    @Test
    void shouldNotGiveStockBackTwice_whenKeysAreRebuiltAfterCancelledAndFailedRequests() {
        String productId = fixture.productOnSale(10);
        fixture.persist(fixture.admit(productId, "ivan"), Duration.ofSeconds(-1));
        OrderEvent failed = fixture.admit(productId, "judy");
        fixture.sql("INSERT INTO purchase_request (request_id, product_id, user_id, quantity, status, reason, accepted_at) "
                + "VALUES (?, ?, 'judy', 1, 'FAILED', 'SOLD_OUT', now())", failed.requestId(), productId);
        fixture.gate.release(productId, failed.requestId(), "judy", 1).toCompletableFuture().join();
        fixture.acknowledge(failed);
        fixture.run();
        assertThat(fixture.redisStock(productId)).isEqualTo(10);
        fixture.redis.del(fixture.redis.keys(RedisKeys.product(productId).pattern()).toArray(String[]::new));

        RunSummary rebuild = fixture.run();
        fixture.run();

        assertThat(rebuild.count(Actions.REBUILT)).isEqualTo(1);
        assertThat(fixture.redisStock(productId)).isEqualTo(10);
        assertThat(fixture.number("SELECT stock_left FROM product WHERE id = ?", productId)).isEqualTo(10);
    }

    @Test
    void shouldNeverSellMoreThanTheStock_andRetireTheUnitsThatNeverExisted_whenRedisFallsBackToAnOlderSnapshot() {
        String productId = fixture.productOnSale(10);
        for (int i = 0; i < 4; i++) {
            fixture.persist(fixture.admit(productId, "before-" + i), Duration.ofMinutes(15));
        }
        Map<String, byte[]> snapshot = new java.util.HashMap<>();
        for (String key : fixture.redis.keys(RedisKeys.product(productId).pattern())) {
            snapshot.put(key, fixture.redis.dump(key));
        }
        for (int i = 0; i < 3; i++) {
            fixture.persist(fixture.admit(productId, "after-" + i), Duration.ofMinutes(15));
        }
        // a failover to a replica that had not seen the last three purchases
        fixture.redis.del(fixture.redis.keys(RedisKeys.product(productId).pattern()).toArray(String[]::new));
        snapshot.forEach((key, value) -> fixture.redis.restore(key, 0, value));
        assertThat(fixture.redisStock(productId)).isEqualTo(6);

        int sold = 7;
        OrderEvent again = fixture.admit(productId, "after-0");
        assertThat(again).as("Redis forgot this buyer").isNotNull();
        assertThat(fixture.persist(again, Duration.ofMinutes(15))).as("Postgres did not").isFalse();
        for (int i = 0; i < 10; i++) {
            OrderEvent event = fixture.admit(productId, "crowd-" + i);
            if (event != null && fixture.persist(event, Duration.ofMinutes(15))) {
                sold++;
            }
        }
        RunSummary audit = fixture.run();

        assertThat(sold).isEqualTo(10);
        assertThat(fixture.number("SELECT count(*) FROM purchase_order WHERE product_id = ?", productId)).isEqualTo(10);
        // the guard refused the forgotten buyer, and each of the three units Postgres never had at least once
        // (how often depends on whether the consumer gives a SOLD_OUT refusal's unit back to Redis)
        assertThat(fixture.query("SELECT reason FROM purchase_request WHERE product_id = ? AND status = 'FAILED'", productId))
                .containsOnly("ALREADY_PURCHASED", "SOLD_OUT").containsOnlyOnce("ALREADY_PURCHASED")
                .filteredOn("SOLD_OUT"::equals).hasSizeGreaterThanOrEqualTo(3);
        // whatever excess Redis still held after the crowd, the run took it out, and said so
        assertThat(fixture.query("SELECT kind, expected, actual, delta, action FROM reconciliation_discrepancy "
                + "WHERE run_id = ? AND product_id = ?", audit.runId(), productId))
                .allSatisfy(row -> assertThat(row).matches("STOCK_INVARIANT\\|10\\|1[0-3]\\|[0-3]\\|REPAIRED: .*"))
                .hasSizeLessThanOrEqualTo(1);
        assertThat(fixture.redisStock(productId)).as("the three units Postgres never had, taken out of Redis").isZero();
        assertThat(fixture.admit(productId, "late")).as("no phantom unit left to admit anyone").isNull();

        RunSummary next = fixture.run();

        assertThat(fixture.number("SELECT count(*) FROM reconciliation_discrepancy WHERE run_id = ? AND product_id = ?",
                next.runId(), productId)).as("the books balance now").isZero();
    }

    @Test
    void shouldRebuildAndAuditASaleOfManyBuyers_chunkByChunk_countingEachRequestInFlightOnce() {
        int sold = 2 * SaleQueries.CHUNK + 17;
        String productId = fixture.product(sold + 10, Instant.now().minusSeconds(60));
        fixture.sql("UPDATE product SET stock_left = 10 WHERE id = ?", productId);
        fixture.sql("INSERT INTO purchase_order (id, request_id, product_id, user_id, quantity, price_cents, status, pay_by) "
                + "SELECT 'o-' || ? || g, ? || '.r' || g, ?, 'u' || g, 1, 1000, 'PENDING_PAYMENT', now() + interval '1 hour' "
                + "FROM generate_series(1, ?) g", productId, productId, productId, sold);
        fixture.sql("INSERT INTO purchase_request (request_id, product_id, user_id, quantity, status, order_id, accepted_at) "
                + "SELECT ? || '.r' || g, ?, 'u' || g, 1, 'SUCCESS', 'o-' || ? || g, now() FROM generate_series(1, ?) g",
                productId, productId, productId, sold);

        RunSummary rebuild = fixture.run();

        assertThat(fixture.query("SELECT kind, action FROM reconciliation_discrepancy WHERE product_id = ? AND run_id = ?",
                productId, rebuild.runId())).singleElement().asString()
                .startsWith("REDIS_KEYS_LOST|REBUILT from Postgres: stock 10 ").endsWith(sold + " buyers refilled");
        assertThat(fixture.redis.hlen(RedisKeys.product(productId).buyers())).isEqualTo(sold);
        assertThat(fixture.redisStock(productId)).isEqualTo(10);

        // three requests in flight: one still in the outbox, two already in Kafka (found through the buyers hash only)
        List<OrderEvent> inFlight = List.of(fixture.admit(productId, "late-0"), fixture.admit(productId, "late-1"),
                fixture.admit(productId, "late-2"));
        fixture.acknowledge(inFlight.get(1));
        fixture.acknowledge(inFlight.get(2));
        RunSummary balanced = fixture.run();
        fixture.redis.incrby(RedisKeys.product(productId).stock(), 2); // two units that no request holds
        RunSummary audit = fixture.run();

        assertThat(fixture.number("SELECT count(*) FROM reconciliation_discrepancy WHERE product_id = ? AND run_id = ?",
                productId, balanced.runId())).isZero();
        assertThat(fixture.query("SELECT kind, expected, actual, delta FROM reconciliation_discrepancy "
                + "WHERE product_id = ? AND run_id = ?", productId, audit.runId()))
                .containsExactly("STOCK_INVARIANT|" + (sold + 10) + "|" + (sold + 12) + "|2");
    }

    @Test
    void shouldWarmUp_theSalesStartingSoon_only() {
        String soon = fixture.product(7, Instant.now().plus(Duration.ofMinutes(5)));
        String later = fixture.product(7, Instant.now().plus(Duration.ofMinutes(30)));

        RunSummary summary = fixture.run();

        assertThat(summary.count(Actions.WARMED)).isGreaterThanOrEqualTo(1);
        assertThat(fixture.redisStock(soon)).isEqualTo(7);
        assertThat(fixture.redis.hget(RedisKeys.product(soon).meta(), "total")).isEqualTo("7");
        assertThat(fixture.redis.exists(RedisKeys.product(later).stock())).isZero();
        assertThat(fixture.query("SELECT id, preloaded_at IS NOT NULL FROM product WHERE id IN (?, ?) ORDER BY starts_at",
                soon, later)).containsExactly(soon + "|true", later + "|false");
        assertThat(fixture.number("SELECT count(*) FROM reconciliation_discrepancy WHERE product_id = ?", soon)).isZero();
    }

    @Test
    void shouldRecordTheDiscrepancyAndTheRun_whenRedisShowsMoreStockThanItShould() {
        String productId = fixture.productOnSale(10);
        fixture.persist(fixture.admit(productId, "carol"), Duration.ofMinutes(15));
        fixture.admit(productId, "dave"); // in flight: in the outbox, not yet in Postgres
        fixture.redis.incrby(RedisKeys.product(productId).stock(), 3); // acknowledged writes lost in a failover

        RunSummary summary = fixture.run();

        assertThat(fixture.query("SELECT kind, expected, actual, delta FROM reconciliation_discrepancy "
                + "WHERE product_id = ?", productId)).containsExactly("STOCK_INVARIANT|10|13|3");
        assertThat(fixture.redisStock(productId)).as("not fixed from Postgres while a request is in flight").isEqualTo(11);
        assertThat(summary.count(Actions.STOCK_RETIRED)).isZero();
        assertThat(summary.count(Actions.DISCREPANCIES)).isGreaterThanOrEqualTo(1);
        assertThat(fixture.query("SELECT summary ->> 'discrepancies', finished_at IS NOT NULL FROM reconciliation_run "
                + "WHERE id = ?", summary.runId())).containsExactly(summary.count(Actions.DISCREPANCIES) + "|true");
    }

    @Test
    void shouldFindNothingToRecord_whenRedisAndPostgresAgree() {
        String productId = fixture.productOnSale(10);
        fixture.persist(fixture.admit(productId, "erin"), Duration.ofMinutes(15));
        fixture.admit(productId, "frank");

        fixture.run();

        assertThat(fixture.number("SELECT count(*) FROM reconciliation_discrepancy WHERE product_id = ?", productId)).isZero();
    }

    @Test
    void shouldRun_whenInvokedWithTheInputTheScheduleSends() {
        RunSummary summary = fixture.handler.handleRequest(
                ReconciliationFixture.scheduledEvent("scheduler_input.json"), null);

        assertThat(summary.acted()).isTrue();
        assertThat(fixture.query("SELECT holder, summary IS NOT NULL FROM reconciliation_run WHERE id = ?",
                summary.runId())).containsExactly(summary.holder() + "|true");
    }

    @Test
    void shouldNotDecodeTheSchedulerDefaultPayload_soTheScheduleMustSetItsInput() {
        // EventBridge Scheduler's own payload has "detail": "{}" (a string), which ScheduledEvent cannot hold
        assertThatThrownBy(() -> ReconciliationFixture.scheduledEvent("aws_scheduler_event.json"))
                .hasMessageContaining("detail");
    }
}
