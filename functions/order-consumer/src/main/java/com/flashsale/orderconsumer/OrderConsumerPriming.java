package com.flashsale.orderconsumer;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.flashsale.shared.event.OrderEvent;
import com.flashsale.shared.priming.JitCompiler;
import com.flashsale.shared.priming.PrimingConfiguration;
import com.flashsale.shared.priming.PrimingHook;
import com.flashsale.shared.redis.RedisConnection;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.redis.RequestIds;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The order consumer's invoke priming before the SnapStart snapshot (issue 18; the API functions'
 * is http-common's {@code Priming}): rounds of small MSK batches through the consumer's own path
 * (the records decoded, the batch's transaction, the outcomes written to Redis), then settling
 * passes until the JIT compiler has nothing left to compile ({@link JitCompiler#settle}). A
 * restored container's first batches then find that code compiled; without it they share the
 * container's first second with the compiler, and accept-to-order waits.
 *
 * <p>Each round is one batch decided twice in the same transaction: orders placed, a second
 * purchase of the same buyer refused, one more than the stock refused as sold out, a duplicate
 * delivery, a record that is not an order event dead-lettered; then the same batch again, every
 * request already decided.
 *
 * <p>It leaves nothing behind:
 * <ul>
 *   <li>the orders are of {@link #PRODUCT}, an id admin never generates (it starts with {@code __});
 *       its row is inserted in the round's transaction, and every round's transaction is rolled
 *       back: PostgreSQL keeps no row of it;</li>
 *   <li>the product is not in Redis, so no stock is settled there; the request states the outcomes
 *       write are in its slot, and deleted when priming ends (they would expire anyway);</li>
 *   <li>the consumer is called, not the handler: no metric is counted, and no batch is logged.</li>
 * </ul>
 * It runs first of the checkpoint hooks ({@link PrimingHook}); a failure (PostgreSQL or Redis
 * unreachable at the checkpoint) is logged, never thrown.
 */
@Singleton
class OrderConsumerPriming extends PrimingHook {

    /** The priming orders' product: in no store but the rolled-back transactions. */
    static final String PRODUCT = "__priming-orders";
    /** Orders per round: its stock is one fewer (one is refused sold out). */
    static final int ORDERS = 16;
    /**
     * A round hands each per-record method 2 × 19 records, the calls of about ten API rounds: it runs
     * a tenth of {@code flashsale.priming.rounds}.
     */
    static final int API_ROUNDS_PER_ROUND = 10;
    /** Rounds per settling pass: 570 records, more than the interpreter's 128 calls between compile requests. */
    static final int SETTLE_ROUNDS = 15;
    private static final String TOPIC = "__priming-orders";
    private static final Logger LOG = LoggerFactory.getLogger(OrderConsumerPriming.class);
    private static final ThreadLocal<Boolean> ACTIVE = new ThreadLocal<>();

    private final OrderConsumer consumer;
    private final TransactionOperations<Connection> transactions;
    private final RedisConnection redis;
    private final JsonMapper json;
    private final PrimingConfiguration configuration;
    private final Set<String> requestStates = new LinkedHashSet<>();
    private long offset;
    private BatchSummary primed = BatchSummary.NONE;

    OrderConsumerPriming(OrderConsumer consumer, TransactionOperations<Connection> transactions, RedisConnection redis,
                         JsonMapper json, PrimingConfiguration configuration) {
        this.consumer = consumer;
        this.transactions = transactions;
        this.redis = redis;
        this.json = json;
        this.configuration = configuration;
    }

    /** Whether the current thread is priming (its batches are not logged). */
    static boolean active() {
        return Boolean.TRUE.equals(ACTIVE.get());
    }

    @Override
    protected void primeBeforeCheckpoint() {
        prime();
    }

    /** @return what the rounds' batches summed to (all zero when priming is off or failed at once) */
    BatchSummary prime() {
        primed = BatchSummary.NONE;
        int rounds = configuration.rounds() / API_ROUNDS_PER_ROUND;
        if (rounds <= 0) {
            return primed;
        }
        long started = System.nanoTime();
        int passes = 0;
        ACTIVE.set(true);
        try {
            run(rounds);
            passes = JitCompiler.settle(configuration.settlePasses(), () -> run(SETTLE_ROUNDS));
        } catch (RuntimeException e) {
            LOG.warn("priming stopped: {}; the snapshot is less warm", e.toString());
        } finally {
            ACTIVE.remove();
            deleteRequestStates();
        }
        LOG.info("primed {} rounds and {} settling passes in {} ms: {}", rounds, passes,
                (System.nanoTime() - started) / 1_000_000, primed);
        return primed;
    }

    private void run(int rounds) {
        for (int i = 0; i < rounds; i++) {
            round();
        }
    }

    private void round() {
        KafkaEvent batch = batch();
        transactions.executeWrite(status -> {
            insertProduct(status.getConnection());
            primed = primed.plus(consumer.consume(batch));
            primed = primed.plus(consumer.consume(batch)); // a redelivery: every request already decided
            status.setRollbackOnly();
            return null;
        });
    }

    private static void insertProduct(Connection connection) {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO product "
                + "(id, name, price_cents, stock_total, stock_left, starts_at, ends_at, limit_per_user) "
                + "VALUES (?, 'priming', 100, ?, ?, now() - interval '1 minute', now() + interval '1 hour', 1)")) {
            insert.setString(1, PRODUCT);
            insert.setInt(2, ORDERS - 1);
            insert.setInt(3, ORDERS - 1);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("the priming product's row cannot be inserted", e);
        }
    }

    /**
     * {@link #ORDERS} buyers' requests (the last one sold out), the first buyer's second request,
     * a second delivery of the first record, and a record that is not an order event.
     */
    private KafkaEvent batch() {
        Instant now = Instant.now();
        List<OrderEvent> events = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            events.add(event("__priming-buyer-" + i, now.plusMillis(i)));
        }
        events.add(event("__priming-buyer-0", now.plusMillis(ORDERS)));
        List<KafkaEvent.KafkaEventRecord> records = new ArrayList<>();
        for (OrderEvent event : events) {
            records.add(record(event.kafkaKey(), write(event)));
        }
        records.add(record(events.get(0).kafkaKey(), write(events.get(0))));
        records.add(record(null, "not an order event"));
        return KafkaEvent.builder().withEventSource("aws:kafka").withRecords(Map.of(TOPIC + "-0", records)).build();
    }

    private OrderEvent event(String user, Instant acceptedAt) {
        String requestId = RequestIds.newRequestId(PRODUCT);
        requestStates.add(RedisKeys.ofRequest(PRODUCT, requestId).request(requestId));
        return OrderEvent.of(requestId, PRODUCT, user, 1, acceptedAt);
    }

    private KafkaEvent.KafkaEventRecord record(String key, String value) {
        Base64.Encoder base64 = Base64.getEncoder();
        return KafkaEvent.KafkaEventRecord.builder().withTopic(TOPIC).withPartition(0).withOffset(offset++)
                .withTimestamp(System.currentTimeMillis()).withTimestampType("CREATE_TIME")
                .withKey(key == null ? null : base64.encodeToString(key.getBytes(StandardCharsets.UTF_8)))
                .withValue(base64.encodeToString(value.getBytes(StandardCharsets.UTF_8))).build();
    }

    private String write(OrderEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deleteRequestStates() {
        if (requestStates.isEmpty()) {
            return;
        }
        try {
            redis.commands().del(requestStates.toArray(String[]::new)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("{} priming request states not deleted ({}); they expire by themselves", requestStates.size(),
                    e.toString());
        } finally {
            requestStates.clear();
        }
    }
}
