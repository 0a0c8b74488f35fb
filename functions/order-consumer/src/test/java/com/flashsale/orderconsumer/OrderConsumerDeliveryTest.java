package com.flashsale.orderconsumer;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.event.OrderEvent;
import com.flashsale.shared.redis.RedisKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** At-least-once delivery: repeats, re-orders, crashes, poison and a database outage change nothing twice. */
@ExtendWith(RealServersExtension.class)
class OrderConsumerDeliveryTest {

    private static final String TOPIC = "flashsale.orders";

    RealServers servers;
    ConsumerFixture fixture;

    @BeforeEach
    void start(RealServers servers) {
        this.servers = servers;
        fixture = new ConsumerFixture(servers);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** 10 admitted in Redis, 8 left in Postgres, user-0 already holds an order: 8 orders, 2 failures. */
    private List<ConsumedRecordSource> contestedSale() {
        String productId = fixture.productOnSale(8, 10);
        fixture.sql("INSERT INTO purchase_order (id, request_id, product_id, user_id, quantity, price_cents, status, pay_by) "
                + "VALUES ('o-earlier', 'earlier', ?, 'user-0', 1, 99900, 'PAID', now())", productId);
        fixture.sql("UPDATE product SET stock_total = 11 WHERE id = ?", productId);
        List<OrderEvent> events = fixture.admitMany(productId, 10);
        assertThat(events).hasSize(10);
        List<ConsumedRecordSource> sources = new ArrayList<>();
        for (ConsumerFixture.Record record : fixture.records(TOPIC, 0, 100, events)) {
            sources.add(new ConsumedRecordSource(record, events.get(sources.size())));
        }
        return sources;
    }

    private record ConsumedRecordSource(ConsumerFixture.Record record, OrderEvent event) {
    }

    private static List<ConsumerFixture.Record> records(List<ConsumedRecordSource> sources) {
        return sources.stream().map(ConsumedRecordSource::record).toList();
    }

    @Test
    void shouldChangeNothing_whenTheSameBatchIsDeliveredTwice() {
        List<ConsumerFixture.Record> batch = records(contestedSale());

        BatchSummary first = fixture.consume(batch);
        List<String> afterFirst = fixture.databaseState();
        BatchSummary second = fixture.consume(batch);

        assertThat(first).isEqualTo(new BatchSummary(10, 8, 2, 0, 0, 0));
        assertThat(second).isEqualTo(new BatchSummary(10, 0, 0, 10, 0, 0));
        assertThat(fixture.databaseState()).isEqualTo(afterFirst);
        assertThat(fixture.query("SELECT reason, count(*) FROM purchase_request WHERE status = 'FAILED' "
                + "GROUP BY reason ORDER BY reason")).containsExactly("ALREADY_PURCHASED|1", "SOLD_OUT|1");
        assertThat(fixture.number("SELECT stock_left FROM product")).isZero();
        // ALREADY_PURCHASED got its unit back once, not once per delivery; SOLD_OUT's unit never existed
        assertThat(fixture.redisStock(onlyProduct())).isEqualTo(1);
    }

    @Test
    void shouldRetireThePhantomUnit_whenPostgresHasNoStockLeft_andFreeTheUsersSlotOnce() {
        String productId = fixture.productOnSale(0, 3);
        OrderEvent phantom = fixture.admit(productId, "peggy", 1);
        List<ConsumerFixture.Record> batch = fixture.records(TOPIC, 0, 0, List.of(phantom));

        BatchSummary first = fixture.consume(batch);
        BatchSummary second = fixture.consume(batch);

        assertThat(first).isEqualTo(new BatchSummary(1, 0, 1, 0, 0, 0));
        assertThat(second.alreadyProcessed()).isEqualTo(1);
        assertThat(fixture.requestState(phantom.requestId()))
                .containsEntry("status", "FAILED").containsEntry("reason", "SOLD_OUT");
        // the unit Redis admitted never existed: it is not given back, on any delivery
        assertThat(fixture.redisStock(productId)).isEqualTo(2);
        RedisKeys keys = RedisKeys.product(productId);
        assertThat(fixture.redis.hget(keys.buyers(), "peggy")).isNull();
        assertThat(fixture.redis.sismember(keys.released(), phantom.requestId())).isTrue();
    }

    private String onlyProduct() {
        return fixture.query("SELECT id FROM product").get(0);
    }

    @Test
    void shouldReachTheSameDatabaseState_whenTheBatchIsShuffledAndDuplicated() {
        List<ConsumedRecordSource> sources = contestedSale();
        String productId = sources.get(0).event().productId();
        fixture.consume(records(sources));
        List<String> inOrder = fixture.databaseState();
        // a second database, as the first one was before the batch
        ConsumerFixture shuffledDb = new ConsumerFixture(servers, servers.freshDatabase("consumer"), Map.of());
        try {
            shuffledDb.sql("INSERT INTO product (id, name, price_cents, stock_total, stock_left, starts_at, ends_at, limit_per_user) "
                    + "VALUES (?, 'phone', 99900, 11, 8, now() - interval '1 hour', now() + interval '1 hour', 2)", productId);
            shuffledDb.sql("INSERT INTO purchase_order (id, request_id, product_id, user_id, quantity, price_cents, status, pay_by) "
                    + "VALUES ('o-earlier', 'earlier', ?, 'user-0', 1, 99900, 'PAID', now())", productId);
            List<ConsumerFixture.Record> shuffled = new ArrayList<>(records(sources));
            shuffled.addAll(records(sources.subList(2, 7)));
            Collections.shuffle(shuffled, new Random(42));

            BatchSummary summary = shuffledDb.consume(shuffled);

            assertThat(summary).isEqualTo(new BatchSummary(15, 8, 2, 0, 5, 0));
            assertThat(shuffledDb.databaseState()).isEqualTo(inOrder);
        } finally {
            shuffledDb.close();
        }
    }

    @Test
    void shouldChangeNothing_whenTheBatchIsRedeliveredAfterACrashBetweenCommitAndReturn() {
        List<ConsumedRecordSource> sources = contestedSale();
        List<ConsumerFixture.Record> batch = records(sources);
        ConsumerFixture crashing = fixture.reopen(Map.of("test.crash-after-commit", "true"));
        try {
            assertThatThrownBy(() -> crashing.consume(batch)).hasMessageContaining("crash injected");
        } finally {
            crashing.close();
        }
        List<String> committed = fixture.databaseState();
        assertThat(fixture.requestState(sources.get(5).event().requestId())).containsEntry("status", "PENDING");

        BatchSummary redelivered = fixture.consume(batch);

        assertThat(redelivered).isEqualTo(new BatchSummary(10, 0, 0, 10, 0, 0));
        assertThat(fixture.databaseState()).isEqualTo(committed);
        assertThat(fixture.number("SELECT count(*) FROM purchase_order WHERE product_id = ?", onlyProduct())).isEqualTo(9);
        for (ConsumedRecordSource source : sources) {
            var state = fixture.requestState(source.event().requestId());
            assertThat(state.get("status")).isIn("SUCCESS", "FAILED");
            assertThat(state.get("status").equals("SUCCESS")).isEqualTo(state.containsKey("orderId"));
        }
        assertThat(fixture.redisStock(onlyProduct())).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterOnePoisonRecord_andCommitTheRestOfTheBatch() {
        String productId = fixture.productOnSale(10, 10);
        List<OrderEvent> events = fixture.admitMany(productId, 4);
        List<ConsumerFixture.Record> batch = new ArrayList<>(fixture.records(TOPIC, 2, 500, events));
        byte[] poison = "{\"schemaVersion\":1,\"requestId\":".getBytes(StandardCharsets.UTF_8);
        batch.add(2, new ConsumerFixture.Record(TOPIC, 2, 777, null, poison));

        BatchSummary summary = fixture.consume(batch);

        assertThat(summary).isEqualTo(new BatchSummary(5, 4, 0, 0, 0, 1));
        assertThat(fixture.query("SELECT topic, partition, record_offset, record_key IS NULL, "
                + "convert_from(record_value, 'UTF8') FROM dead_letter"))
                .containsExactly(TOPIC + "|2|777|true|" + new String(poison, StandardCharsets.UTF_8));
        assertThat(fixture.query("SELECT error FROM dead_letter").get(0)).startsWith("not an order event");
        assertThat(fixture.number("SELECT count(*) FROM purchase_order")).isEqualTo(4);
        assertThat(fixture.number("SELECT stock_left FROM product")).isEqualTo(6);
    }

    @Test
    void shouldDeadLetterAndFailTheRequest_whenTheEventNamesAnUnknownProduct() {
        String productId = fixture.productOnSale(10, 10);
        OrderEvent event = fixture.admit(productId, "mallory", 1);
        fixture.sql("DELETE FROM product WHERE id = ?", productId);

        BatchSummary summary = fixture.consume(fixture.records(TOPIC, 0, 9, List.of(event)));

        assertThat(summary).isEqualTo(new BatchSummary(1, 0, 1, 0, 0, 1));
        assertThat(fixture.query("SELECT record_offset, error FROM dead_letter"))
                .containsExactly("9|unknown product " + productId);
        assertThat(fixture.query("SELECT status, reason FROM purchase_request")).containsExactly("FAILED|INVALID_EVENT");
        assertThat(fixture.requestState(event.requestId()))
                .containsEntry("status", "FAILED").containsEntry("reason", "INVALID_EVENT");
        assertThat(fixture.redisStock(productId)).isEqualTo(10);
    }

    @Test
    void shouldDeadLetterTheRecordThePostgresRefuses_failItsRequestInRedis_andCommitTheRestOfTheBatch() {
        String productId = fixture.productOnSale(10, 10);
        List<OrderEvent> events = new ArrayList<>(fixture.admitMany(productId, 3));
        OrderEvent refused = fixture.admit(productId, "mallory\u0000", 1);
        events.add(1, refused);
        List<ConsumerFixture.Record> batch = fixture.records(TOPIC, 3, 40, events);

        BatchSummary summary = fixture.consume(batch);
        BatchSummary again = fixture.consume(batch);

        assertThat(summary).isEqualTo(new BatchSummary(4, 3, 1, 0, 0, 1));
        assertThat(fixture.query("SELECT record_offset, error LIKE 'refused by the database (SQLSTATE 22%' FROM dead_letter"))
                .containsExactly("41|true");
        assertThat(fixture.number("SELECT count(*) FROM purchase_order")).isEqualTo(3);
        assertThat(fixture.requestState(refused.requestId()))
                .containsEntry("status", "FAILED").containsEntry("reason", "INVALID_EVENT");
        assertThat(fixture.redisStock(productId)).isEqualTo(7);
        // a redelivery decides nothing again and gives the unit back no second time
        assertThat(again.orders()).isZero();
        assertThat(again.alreadyProcessed()).isEqualTo(3);
        assertThat(fixture.redisStock(productId)).isEqualTo(7);
    }

    @Test
    void shouldFailTheInvocation_whenPostgresIsDown_andPersistEverythingOnceOnRetry() {
        assumeTrue(servers.postgres().isPresent(), "Postgres is an existing server: it cannot be stopped here");
        String productId = fixture.productOnSale(50, 50);
        List<ConsumerFixture.Record> batch = fixture.records(TOPIC, 1, 0, fixture.admitMany(productId, 30));

        servers.postgres().orElseThrow().stop();
        try {
            assertThatThrownBy(() -> fixture.consume(batch)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("will be retried");
        } finally {
            servers.postgres().orElseThrow().start();
        }

        // Lambda retries until the batch goes through; the pool reconnects within a few seconds
        BatchSummary retry = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> fixture.consume(batch), summary -> true);
        BatchSummary again = fixture.consume(batch);

        assertThat(retry).isEqualTo(new BatchSummary(30, 30, 0, 0, 0, 0));
        assertThat(again).isEqualTo(new BatchSummary(30, 0, 0, 30, 0, 0));
        assertThat(fixture.number("SELECT count(*) FROM purchase_order")).isEqualTo(30);
        assertThat(fixture.number("SELECT stock_left FROM product")).isEqualTo(20);
        assertThat(fixture.redisStock(productId)).isEqualTo(20);
    }

    @Test
    void shouldDecideEachRequestOnce_whenTwoInvocationsGetTheSameBatchAtOnce() throws Exception {
        List<ConsumerFixture.Record> batch = records(contestedSale());
        ConsumerFixture second = fixture.reopen(Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<BatchSummary> a = pool.submit(() -> {
                start.await();
                return fixture.consume(batch);
            });
            Future<BatchSummary> b = pool.submit(() -> {
                start.await();
                return second.consume(batch);
            });
            start.countDown();

            List<BatchSummary> summaries = List.of(a.get(), b.get());

            assertThat(summaries.stream().mapToInt(BatchSummary::orders).sum()).isEqualTo(8);
            assertThat(summaries.stream().mapToInt(BatchSummary::alreadyProcessed).sum()).isEqualTo(10);
            assertThat(fixture.number("SELECT count(*) FROM purchase_order WHERE id <> 'o-earlier'")).isEqualTo(8);
            assertThat(fixture.number("SELECT count(*) FROM purchase_request")).isEqualTo(10);
            assertThat(fixture.redisStock(onlyProduct())).isEqualTo(1);
        } finally {
            pool.shutdown();
            second.close();
        }
    }

    @Test
    void shouldGiveTheConfiguredPaymentWindow_toEveryNewOrder() {
        String productId = fixture.productOnSale(5, 5);
        OrderEvent event = fixture.admit(productId, "trent", 1);
        ConsumerFixture shortWindow = fixture.reopen(Map.of("flashsale.payment-window", "2s"));
        try {
            shortWindow.consume(fixture.records(TOPIC, 0, 0, List.of(event)));
        } finally {
            shortWindow.close();
        }

        assertThat(fixture.number("SELECT extract(epoch FROM pay_by - created_at)::bigint FROM purchase_order "
                + "WHERE request_id = ?", event.requestId())).isEqualTo(2);
    }

    @Test
    void shouldStillSellToAUser_whoseEarlierRequestOfTheBatchFoundNoStock() {
        String productId = fixture.productOnSale(1, 5);
        OrderEvent tooMany = fixture.admit(productId, "victor", 2);
        fixture.redis.hdel(RedisKeys.product(productId).buyers(), "victor"); // Redis forgot
        OrderEvent one = fixture.admit(productId, "victor", 1);

        BatchSummary summary = fixture.consume(fixture.records(TOPIC, 0, 0, List.of(tooMany, one)));

        assertThat(summary).isEqualTo(new BatchSummary(2, 1, 1, 0, 0, 0));
        assertThat(fixture.query("SELECT quantity, status, reason FROM purchase_request ORDER BY quantity"))
                .containsExactly("1|SUCCESS|null", "2|FAILED|SOLD_OUT");
    }
}
