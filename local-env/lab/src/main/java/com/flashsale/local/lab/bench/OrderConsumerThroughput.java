package com.flashsale.local.lab.bench;

import com.flashsale.local.lab.LabSql;
import com.flashsale.local.runtime.lambda.Invocable;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.runtime.trigger.Batch;
import com.flashsale.local.runtime.trigger.MskTrigger;
import com.flashsale.shared.redis.RequestIds;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Section 4: orders persisted per second by the real order-consumer function, invoked one batch
 * after another with MSK's {@code KafkaEvent} of valid order events, against the same rows written
 * by bare multi-row statements (one transaction per batch: take stock, insert orders, insert request
 * outcomes), measured the same way.
 */
final class OrderConsumerThroughput {

    private static final int PARTITIONS = 4;

    private final RealServers.Database database;
    private final MskTrigger trigger;
    private final String topic;
    private long offset;
    private int runs;

    OrderConsumerThroughput(RealServers.Database database, MskTrigger trigger, String topic) {
        this.database = database;
        this.trigger = trigger;
        this.topic = topic;
    }

    /** A product on sale in Postgres only, with stock for every order the section writes. */
    String product() throws SQLException {
        String productId = "benchorders" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection connection = database.connect()) {
            LabSql.update(connection, "INSERT INTO product (id, name, price_cents, stock_total, stock_left, starts_at, ends_at) "
                    + "VALUES (?, 'bench orders', 1000, 10000000, 10000000, now() - interval '1 hour', now() + interval '2 hours')",
                    productId);
        }
        return productId;
    }

    /** @return orders persisted per second by the function */
    double function(Invocable consumer, String productId, int batchSize, int batches) {
        List<String> events = new ArrayList<>(batches);
        runs++;
        for (int b = 0; b < batches; b++) {
            events.add(trigger.kafkaEvent(batch(productId, "fn" + runs + "-" + b + "-", batchSize)));
        }
        int[] done = {0};
        long started = System.nanoTime();
        try (Ticker ignored = new Ticker(() -> done[0] + "/" + batches + " batches of " + batchSize)) {
            for (String event : events) {
                String summary = consumer.invoke(event);
                if (done[0]++ == 0 && !summary.contains("\"orders\":" + batchSize + ",")) {
                    Ticker.say("first batch summary: " + summary);
                }
            }
        }
        return (double) batchSize * batches / ((System.nanoTime() - started) / 1e9);
    }

    /** @return orders per second written by bare multi-row statements, one transaction per batch */
    double raw(String productId, int batchSize, int batches) throws SQLException {
        runs++;
        long started = System.nanoTime();
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            for (int b = 0; b < batches; b++) {
                writeBatch(connection, productId, "raw" + runs + "-" + b + "-", batchSize);
                connection.commit();
            }
        }
        return (double) batchSize * batches / ((System.nanoTime() - started) / 1e9);
    }

    private Batch batch(String productId, String userPrefix, int size) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records = new HashMap<>();
        Instant acceptedAt = Instant.now();
        for (int i = 0; i < size; i++) {
            String userId = userPrefix + i;
            String value = eventJson(RequestIds.newRequestId(productId), productId, userId, acceptedAt);
            int partition = i % PARTITIONS;
            records.computeIfAbsent(new TopicPartition(topic, partition), p -> new ArrayList<>())
                    .add(new ConsumerRecord<>(topic, partition, offset++, (productId + "/" + userId).getBytes(StandardCharsets.UTF_8),
                            value.getBytes(StandardCharsets.UTF_8)));
        }
        return new Batch(records);
    }

    /** An order event as the buy function writes it ({@code OrderEvent}: acceptedAt in epoch milliseconds). */
    static String eventJson(String requestId, String productId, String userId, Instant acceptedAt) {
        return String.format("{\"schemaVersion\":1,\"requestId\":\"%s\",\"productId\":\"%s\",\"userId\":\"%s\","
                + "\"quantity\":1,\"acceptedAt\":%d}", requestId, productId, userId, acceptedAt.toEpochMilli());
    }

    private static void writeBatch(Connection connection, String productId, String userPrefix, int size) throws SQLException {
        String[] orderIds = new String[size];
        String[] requestIds = new String[size];
        String[] users = new String[size];
        for (int i = 0; i < size; i++) {
            requestIds[i] = RequestIds.newRequestId(productId);
            orderIds[i] = "o-" + UUID.randomUUID();
            users[i] = userPrefix + i;
        }
        // the row lock the consumer takes too, then stock, orders and outcomes in one statement each
        LabSql.update(connection, "SELECT stock_left FROM product WHERE id = ? FOR UPDATE", productId);
        LabSql.update(connection, "UPDATE product SET stock_left = stock_left - ? WHERE id = ?", size, productId);
        Array o = connection.createArrayOf("text", orderIds);
        Array r = connection.createArrayOf("text", requestIds);
        Array u = connection.createArrayOf("text", users);
        LabSql.update(connection, "INSERT INTO purchase_order (id, request_id, product_id, user_id, quantity, price_cents, "
                + "status, pay_by) SELECT o, r, ?, u, 1, 1000, 'PENDING_PAYMENT', now() + interval '15 minutes' "
                + "FROM unnest(?::text[], ?::text[], ?::text[]) AS t(o, r, u)", productId, o, r, u);
        LabSql.update(connection, "INSERT INTO purchase_request (request_id, product_id, user_id, quantity, status, order_id, "
                + "accepted_at) SELECT r, ?, u, 1, 'SUCCESS', o, now() FROM unnest(?::text[], ?::text[], ?::text[]) AS t(o, r, u)",
                productId, o, r, u);
    }

    /** Accept-to-order delay of a product's decided requests, p99 in ms (accepted_at to decided_at). */
    static double acceptToOrderP99(RealServers.Database database, String productId) throws SQLException {
        try (Connection connection = database.connect()) {
            return LabSql.first(connection, Double.class, "SELECT coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY "
                    + "extract(epoch FROM decided_at - accepted_at)), 0) * 1000 FROM purchase_request WHERE product_id = ?",
                    productId).orElseThrow();
        }
    }

    static long decided(RealServers.Database database, String productId) throws SQLException {
        try (Connection connection = database.connect()) {
            return LabSql.first(connection, Long.class, "SELECT count(*) FROM purchase_request WHERE product_id = ?",
                    productId).orElseThrow();
        }
    }
}
