package com.flashsale.reconciliation;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.flashsale.local.servers.RealServers;
import com.flashsale.orderconsumer.OrderConsumerHandler;
import com.flashsale.shared.db.TestSql;
import com.flashsale.shared.event.OrderEvent;
import com.flashsale.shared.redis.Admission;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.PurchaseAttempt;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.redis.RequestIds;
import com.flashsale.shared.redis.SaleGate;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fresh database (migrated by Flyway at the context's start, in tests only), the reconciliation context
 * on the real servers, and helpers that play the other functions: admit through the real Lua gate,
 * persist an order through the product's own order consumer (on this same context).
 */
final class ReconciliationFixture implements AutoCloseable {

    final RealServers.Database database;
    final ApplicationContext context;
    final ReconciliationHandler handler;
    final SaleGate gate;
    final RedisCommands<String, String> redis;

    private final boolean ownsContext;
    private final OrderConsumerHandler consumer;
    private final JsonMapper json;
    private final AtomicLong offsets = new AtomicLong();

    /** A fresh database and a context of its own, closed with the fixture. */
    ReconciliationFixture(RealServers servers, Map<String, Object> extra) {
        this(servers.freshDatabase("reconciliation"), servers, extra);
    }

    private ReconciliationFixture(RealServers.Database database, RealServers servers, Map<String, Object> extra) {
        this(database, ApplicationContext.run(withExtra(properties(servers, database), extra)), true);
    }

    /** On the context the test framework made ({@code @MicronautTest}), which also closes it. */
    ReconciliationFixture(RealServers.Database database, ApplicationContext context) {
        this(database, context, false);
    }

    private ReconciliationFixture(RealServers.Database database, ApplicationContext context, boolean ownsContext) {
        this.database = database;
        this.context = context;
        this.ownsContext = ownsContext;
        this.handler = new ReconciliationHandler(context);
        this.gate = context.getBean(SaleGate.class);
        @SuppressWarnings("unchecked")
        StatefulRedisConnection<String, String> connection = context.getBean(StatefulRedisConnection.class);
        this.redis = connection.sync();
        this.consumer = new OrderConsumerHandler(context);
        this.json = context.getBean(JsonMapper.class);
    }

    /** The function's settings on the real servers and this database (a TestPropertyProvider's too). */
    static Map<String, String> properties(RealServers servers, RealServers.Database database) {
        Map<String, String> properties = TestSql.datasource(database);
        properties.put("redis.uri", servers.redisUri());
        properties.put("kafka.bootstrap.servers", servers.kafkaBootstrapServers());
        properties.put("flyway.datasources.default.enabled", "true");
        return properties;
    }

    private static Map<String, Object> withExtra(Map<String, String> properties, Map<String, Object> extra) {
        Map<String, Object> all = new HashMap<>(properties);
        all.putAll(extra);
        return all;
    }

    /** One scheduled invocation, with the event EventBridge sends (the AWS sample). */
    RunSummary run() {
        return handler.handleRequest(scheduledEvent("aws_scheduled_event.json"), null);
    }

    /** A sample event, read by the Lambda Java runtime's own serializer, as in Lambda. */
    static ScheduledEvent scheduledEvent(String sample) {
        try (InputStream in = ReconciliationFixture.class.getResourceAsStream("/events/" + sample)) {
            return LambdaEventSerializers.serializerFor(ScheduledEvent.class, ReconciliationFixture.class.getClassLoader())
                    .fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A product in Postgres (stock_left = total) whose sale opens at {@code startsAt}, one hour long. */
    String product(int stock, Instant startsAt) {
        String productId = "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        sql("INSERT INTO product (id, name, price_cents, stock_total, stock_left, starts_at, ends_at) "
                + "VALUES (?, 'phone', 1000, ?, ?, ?, ?)", productId, stock, stock,
                Timestamp.from(startsAt), Timestamp.from(startsAt.plus(Duration.ofHours(1))));
        return productId;
    }

    /** A product on sale now, in Postgres and loaded into Redis (as admin's preload does). */
    String productOnSale(int stock) {
        return productOnSale(stock, 1);
    }

    /** A product on sale now whose stock is split over {@code shards} Redis slots. */
    String productOnSale(int stock, int shards) {
        Instant startsAt = Instant.now().minusSeconds(60);
        String productId = product(stock, startsAt);
        sql("UPDATE product SET shards = ? WHERE id = ?", shards, productId);
        gate.preload(new ProductCard(productId, "phone", 1000, stock, startsAt, startsAt.plus(Duration.ofHours(1)), 1,
                shards), stock, startsAt.plus(Duration.ofDays(1))).toCompletableFuture().join();
        return productId;
    }

    /** An accepted buy (the outbox entry stays, as when the buy function could not reach Kafka). */
    OrderEvent admit(String productId, String userId) {
        String nonce = UUID.randomUUID().toString();
        Admission admission = gate.admit(new PurchaseAttempt(RequestIds.newRequestId(productId), userId, productId, 1,
                nonce, Instant.now().plusSeconds(60), "10.0.0.1", null)).toCompletableFuture().join();
        return admission.accepted()
                ? OrderEvent.of(admission.requestId(), productId, userId, 1, Instant.ofEpochMilli(admission.acceptedAtMs()))
                : null;
    }

    /**
     * The event consumed by the product's order consumer ({@link OrderConsumerHandler}, its whole
     * decision and its Redis outcomes), as the MSK trigger hands it a batch of one record; the order
     * then given {@code payWithin} to be paid; then (as after Kafka's acknowledgement) the outbox
     * entry is gone. Returns true if an order was made.
     */
    boolean persist(OrderEvent event, Duration payWithin) {
        consumer.execute(kafkaEvent(event));
        sql("UPDATE purchase_order SET pay_by = now() + make_interval(secs => ?) WHERE request_id = ?",
                (double) payWithin.toMillis() / 1000, event.requestId());
        acknowledge(event);
        return "SUCCESS".equals(query("SELECT status FROM purchase_request WHERE request_id = ?", event.requestId())
                .stream().findFirst().orElseThrow(() -> new IllegalStateException("the consumer did not decide "
                        + event.requestId())));
    }

    /** One record on the orders topic, as the MSK event source mapping sends it (JSON read the way Lambda does). */
    private KafkaEvent kafkaEvent(OrderEvent event) {
        try {
            Map<String, Object> record = new HashMap<>();
            record.put("topic", "orders");
            record.put("partition", 0);
            record.put("offset", offsets.getAndIncrement());
            record.put("timestamp", System.currentTimeMillis());
            record.put("timestampType", "CREATE_TIME");
            record.put("key", Base64.getEncoder().encodeToString(event.kafkaKey().getBytes(StandardCharsets.UTF_8)));
            record.put("value", Base64.getEncoder().encodeToString(json.writeValueAsBytes(event)));
            record.put("headers", List.of());
            Map<String, Object> batch = Map.of("eventSource", "aws:kafka", "eventSourceArn",
                    "arn:aws:kafka:eu-west-1:123456789012:cluster/flashsale/test", "bootstrapServers", "localhost:9092",
                    "records", Map.of("orders-0", List.of(record)));
            return json.readValue(json.writeValueAsBytes(batch), KafkaEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kafka had the event: its outbox entry goes, as buy deletes it on acknowledgement. */
    void acknowledge(OrderEvent event) {
        String outbox = RedisKeys.product(event.productId()).outbox();
        redis.xrange(outbox, io.lettuce.core.Range.create("-", "+")).stream()
                .filter(entry -> event.requestId().equals(entry.getBody().get("requestId")))
                .forEach(entry -> redis.xdel(outbox, entry.getId()));
    }

    void clearOutbox(String productId) {
        redis.del(RedisKeys.product(productId).outbox());
    }

    void sql(String statement, Object... args) {
        try (Connection connection = database.connect()) {
            TestSql.update(connection, statement, args);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows as "a|b|c" strings. */
    List<String> query(String select, Object... args) {
        try (Connection connection = database.connect()) {
            return TestSql.rows(connection, select, args).stream()
                    .map(row -> String.join("|", row.stream().map(String::valueOf).toList())).toList();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long number(String select, Object... args) {
        return Long.parseLong(query(select, args).get(0));
    }

    long redisStock(String productId) {
        return Long.parseLong(redis.get(RedisKeys.product(productId).stock()));
    }

    @Override
    public void close() {
        if (ownsContext) {
            context.close();
        }
    }
}
