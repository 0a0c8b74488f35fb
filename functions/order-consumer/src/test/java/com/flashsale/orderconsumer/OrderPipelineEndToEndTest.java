package com.flashsale.orderconsumer;

import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.event.OrderEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 1,000 buyers for 800 units: admitted by the real Lua gate, their events produced to a real Kafka
 * topic, polled by a real consumer into AWS-shaped batches and fed to the Lambda handler.
 */
class OrderPipelineEndToEndTest extends OnTheConsumerContext {

    OrderPipelineEndToEndTest(RealServers servers) {
        super(servers);
    }

    @Test
    void shouldTurnEveryAdmittedRequestIntoAnOrder_whenAThousandBuyersGoThroughKafka() throws Exception {
        String productId = fixture.productOnSale(800, 800);
        String topic = servers.freshTopic("orders-e2e", 4);
        List<OrderEvent> admitted = fixture.admitMany(productId, 1_000);
        assertThat(admitted).hasSize(800);

        produce(servers, fixture, topic, admitted);
        AtomicInteger consumed = new AtomicInteger();
        AtomicInteger invocations = new AtomicInteger();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "order-consumer-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                List<ConsumerFixture.Record> batch = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    batch.add(new ConsumerFixture.Record(r.topic(), r.partition(), r.offset(), r.key(), r.value()));
                }
                if (!batch.isEmpty()) {
                    BatchSummary summary = fixture.consume(batch);
                    consumer.commitSync(); // like the event source mapping: offsets only after success
                    consumed.addAndGet(summary.records());
                    invocations.incrementAndGet();
                }
                return consumed.get() >= admitted.size();
            });
        }

        assertThat(invocations.get()).isGreaterThan(1);
        for (OrderEvent event : admitted) {
            assertThat(fixture.requestState(event.requestId()))
                    .containsEntry("status", "SUCCESS")
                    .containsEntry("orderId", OrderStore.orderIdOf(event.requestId()));
        }
        assertThat(fixture.number("SELECT count(*) FROM purchase_order WHERE product_id = ?", productId)).isEqualTo(800);
        assertThat(fixture.number("SELECT count(DISTINCT user_id) FROM purchase_order WHERE product_id = ?", productId))
                .isEqualTo(800);
        assertThat(fixture.number("SELECT p.stock_left + coalesce(sum(o.quantity), 0) - p.stock_total FROM product p "
                + "LEFT JOIN purchase_order o ON o.product_id = p.id WHERE p.id = ? GROUP BY p.id", productId)).isZero();
        assertThat(fixture.number("SELECT stock_left FROM product WHERE id = ?", productId)).isZero();
        assertThat(fixture.redisStock(productId)).isZero();
    }

    private static void produce(RealServers servers, ConsumerFixture fixture, String topic, List<OrderEvent> events)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<?>> acks = new ArrayList<>();
            for (OrderEvent event : events) {
                acks.add(producer.send(new ProducerRecord<>(topic, event.kafkaKey().getBytes(StandardCharsets.UTF_8),
                        fixture.bytes(event))));
            }
            for (Future<?> ack : acks) {
                ack.get();
            }
        }
    }
}
