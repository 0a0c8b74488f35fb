package com.flashsale.orderconsumer;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.flashsale.local.servers.RealServers;
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
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh database (migrated), the consumer's application context on the real servers, and helpers
 * to admit purchases through the real Lua gate and turn their events into AWS-shaped batches.
 */
final class ConsumerFixture implements AutoCloseable {

    final RealServers servers;
    final RealServers.Database database;
    final ApplicationContext context;
    final OrderConsumerHandler handler;
    final SaleGate gate;
    final RedisCommands<String, String> redis;
    final JsonMapper json;

    private final boolean ownsContext;

    ConsumerFixture(RealServers servers) {
        this(servers, migrated(servers.freshDatabase("consumer")), Map.of());
    }

    /** A context of its own, closed with the fixture. */
    ConsumerFixture(RealServers servers, RealServers.Database database, Map<String, Object> extra) {
        this(servers, migrated(database), ApplicationContext.run(withExtra(properties(servers, database), extra)), true);
    }

    /** On the context the test framework made ({@code @MicronautTest}), which also closes it. */
    ConsumerFixture(RealServers servers, RealServers.Database database, ApplicationContext context) {
        this(servers, database, context, false);
    }

    private ConsumerFixture(RealServers servers, RealServers.Database database, ApplicationContext context,
                            boolean ownsContext) {
        this.servers = servers;
        this.database = database;
        this.context = context;
        this.ownsContext = ownsContext;
        this.handler = new OrderConsumerHandler(context);
        this.gate = context.getBean(SaleGate.class);
        @SuppressWarnings("unchecked")
        StatefulRedisConnection<String, String> connection = context.getBean(StatefulRedisConnection.class);
        this.redis = connection.sync();
        this.json = context.getBean(JsonMapper.class);
    }

    /** The database with the schema (the consumer does not migrate; admin and reconciliation do). */
    static RealServers.Database migrated(RealServers.Database database) {
        Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password()).load().migrate();
        return database;
    }

    /** The consumer's settings on the real servers and this database (a TestPropertyProvider's too). */
    static Map<String, String> properties(RealServers servers, RealServers.Database database) {
        Map<String, String> properties = TestSql.datasource(database);
        properties.put("redis.uri", servers.redisUri());
        properties.put("datasources.default.connection-timeout", "2000");
        return properties;
    }

    private static Map<String, Object> withExtra(Map<String, String> properties, Map<String, Object> extra) {
        Map<String, Object> all = new HashMap<>(properties);
        all.putAll(extra);
        return all;
    }

    /** The same database, another context (e.g. without the fault a test injected). */
    ConsumerFixture reopen(Map<String, Object> extra) {
        return new ConsumerFixture(servers, database, extra);
    }

    static String newProductId() {
        return "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** A product on sale now: a row in Postgres with {@code dbStock} left, and Redis loaded with {@code redisStock}. */
    String productOnSale(int dbStock, int redisStock) {
        String productId = newProductId();
        Instant now = Instant.now();
        ProductCard card = new ProductCard(productId, "phone", 99_900, Math.max(dbStock, redisStock),
                now.minusSeconds(3600), now.plusSeconds(3600), 2);
        sql("INSERT INTO product (id, name, price_cents, stock_total, stock_left, starts_at, ends_at, limit_per_user) "
                        + "VALUES (?, 'phone', 99900, ?, ?, ?, ?, 2)",
                productId, card.stock(), dbStock, Timestamp.from(card.startsAt()), Timestamp.from(card.endsAt()));
        gate.preload(card, redisStock, card.endsAt().plus(Duration.ofDays(1))).toCompletableFuture().join();
        return productId;
    }

    /** Admits one purchase through the real admission script; returns its order event (null when refused). */
    OrderEvent admit(String productId, String userId, int quantity) {
        String nonce = UUID.randomUUID().toString();
        Admission admission = gate.admit(new PurchaseAttempt(RequestIds.newRequestId(productId), userId, productId,
                quantity, nonce, Instant.now().plusSeconds(60), "10.0.0.1", null)).toCompletableFuture().join();
        if (!admission.accepted()) {
            return null;
        }
        return OrderEvent.of(admission.requestId(), productId, userId, quantity,
                Instant.ofEpochMilli(admission.acceptedAtMs()));
    }

    List<OrderEvent> admitMany(String productId, int buyers) {
        List<OrderEvent> events = new ArrayList<>();
        for (int i = 0; i < buyers; i++) {
            OrderEvent event = admit(productId, "user-" + i, 1);
            if (event != null) {
                events.add(event);
            }
        }
        return events;
    }

    byte[] bytes(OrderEvent event) {
        try {
            return json.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records of one topic-partition, offsets from {@code firstOffset}. */
    List<Record> records(String topic, int partition, long firstOffset, List<OrderEvent> events) {
        List<Record> records = new ArrayList<>();
        for (OrderEvent event : events) {
            records.add(new Record(topic, partition, firstOffset + records.size(),
                    event.kafkaKey().getBytes(StandardCharsets.UTF_8), bytes(event)));
        }
        return records;
    }

    /** The batch as the MSK event source mapping sends it: JSON, decoded the way Lambda does. */
    KafkaEvent kafkaEvent(List<Record> records) {
        Map<String, List<Map<String, Object>>> groups = new LinkedHashMap<>();
        for (Record record : records) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("topic", record.topic());
            json.put("partition", record.partition());
            json.put("offset", record.offset());
            json.put("timestamp", System.currentTimeMillis());
            json.put("timestampType", "CREATE_TIME");
            if (record.key() != null) {
                json.put("key", Base64.getEncoder().encodeToString(record.key()));
            }
            json.put("value", Base64.getEncoder().encodeToString(record.value()));
            json.put("headers", List.of(Map.of("source", toIntList("test".getBytes(StandardCharsets.UTF_8)))));
            groups.computeIfAbsent(record.topic() + "-" + record.partition(), k -> new ArrayList<>()).add(json);
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventSource", "aws:kafka");
        event.put("eventSourceArn", "arn:aws:kafka:eu-west-1:123456789012:cluster/flashsale/test");
        event.put("bootstrapServers", servers.kafkaBootstrapServers());
        event.put("records", groups);
        try {
            return json.readValue(json.writeValueAsBytes(event), KafkaEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Integer> toIntList(byte[] bytes) {
        List<Integer> list = new ArrayList<>();
        for (byte b : bytes) {
            list.add((int) b);
        }
        return list;
    }

    BatchSummary consume(List<Record> records) {
        return handler.handleRequest(kafkaEvent(records), null);
    }

    /** Every row that the consumer writes, in a stable order, to compare database states. */
    List<String> databaseState() {
        List<String> state = new ArrayList<>();
        state.addAll(query("SELECT id, stock_left FROM product ORDER BY id"));
        state.addAll(query("SELECT id, request_id, product_id, user_id, quantity, price_cents, status, "
                + "pay_by - created_at FROM purchase_order ORDER BY request_id"));
        state.addAll(query("SELECT request_id, product_id, user_id, quantity, status, order_id, reason, accepted_at "
                + "FROM purchase_request ORDER BY request_id"));
        state.addAll(query("SELECT topic, partition, record_offset, record_key, record_value, error "
                + "FROM dead_letter ORDER BY topic, partition, record_offset"));
        return state;
    }

    /** Rows as "a|b|c" strings (bytea as UTF-8 text), to compare database states. */
    List<String> query(String select, Object... args) {
        try (Connection connection = database.connect()) {
            return TestSql.rows(connection, select, args).stream().map(ConsumerFixture::line).toList();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String line(List<Object> row) {
        return String.join("|", row.stream()
                .map(value -> value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(value))
                .toList());
    }

    long number(String select, Object... args) {
        return Long.parseLong(query(select, args).get(0));
    }

    void sql(String statement, Object... args) {
        try (Connection connection = database.connect()) {
            TestSql.update(connection, statement, args);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, String> requestState(String requestId) {
        return redis.hgetall(RedisKeys.product(RequestIds.productOf(requestId).orElseThrow()).request(requestId));
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

    /** One Kafka record: coordinates and raw bytes. */
    record Record(String topic, int partition, long offset, byte[] key, byte[] value) {
    }
}
