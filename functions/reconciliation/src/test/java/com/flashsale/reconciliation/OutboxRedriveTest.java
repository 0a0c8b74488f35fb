package com.flashsale.reconciliation;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.event.OrderEvent;
import com.flashsale.shared.redis.RedisKeys;
import io.micronaut.json.JsonMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@ExtendWith(RealServersExtension.class)
class OutboxRedriveTest {

    @Test
    void shouldPublishAStaleOutboxEntryToKafka_andRemoveIt(RealServers servers) throws Exception {
        String topic = servers.freshTopic("orders-redrive", 2);
        try (ReconciliationFixture fixture = new ReconciliationFixture(servers, Map.of(
                "flashsale.orders-topic", topic, "flashsale.reconciliation.redrive-after", "2s"))) {
            String productId = fixture.productOnSale(10);
            OrderEvent lost = fixture.admit(productId, "grace"); // buy never heard back from Kafka
            OrderEvent decided = fixture.admit(productId, "heidi");
            fixture.persist(decided, Duration.ofMinutes(15)); // consumed, but buy's XDEL was lost
            fixture.redis.xadd(RedisKeys.product(productId).outbox(), Map.of("requestId", decided.requestId(),
                    "userId", "heidi", "productId", productId, "quantity", "1",
                    "acceptedAt", Long.toString(decided.acceptedAt().toEpochMilli())));
            String outbox = RedisKeys.product(productId).outbox();

            RunSummary fresh = fixture.run();
            assertThat(fresh.count(Actions.REDRIVEN)).as("younger than the threshold").isZero();
            assertThat(fixture.redis.xlen(outbox)).isEqualTo(2);

            // each entry is handled once it is stale, by whichever run comes then
            long[] redriven = {0};
            long[] dropped = {0};
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
                RunSummary run = fixture.run();
                redriven[0] += run.count(Actions.REDRIVEN);
                dropped[0] += run.count(Actions.REDRIVE_DROPPED);
                return fixture.redis.xlen(outbox) == 0;
            });

            assertThat(redriven[0]).as("the lost event published").isEqualTo(1);
            assertThat(dropped[0]).as("the decided one dropped, not published").isEqualTo(1);
            List<ConsumerRecord<String, byte[]>> published = readAll(servers, topic, 1);
            assertThat(published).hasSize(1);
            assertThat(published.get(0).key()).isEqualTo(lost.kafkaKey());
            assertThat(fixture.context.getBean(JsonMapper.class).readValue(published.get(0).value(), OrderEvent.class))
                    .isEqualTo(lost);
            assertThat(fixture.run().count(Actions.REDRIVEN)).isZero();
        }
    }

    @Test
    void shouldKeepTheEntry_whenKafkaIsDown_andPublishItOnceKafkaIsBack(RealServers servers) {
        assumeTrue(servers.kafka().isPresent(), "Kafka is an existing server: it cannot be stopped here");
        String topic = servers.freshTopic("orders-redrive-down", 1);
        try (ReconciliationFixture fixture = new ReconciliationFixture(servers, Map.of(
                "flashsale.orders-topic", topic, "flashsale.reconciliation.redrive-after", "0s"))) {
            String productId = fixture.productOnSale(10);
            List<OrderEvent> waiting = List.of(fixture.admit(productId, "ivan"), fixture.admit(productId, "judy"),
                    fixture.admit(productId, "ken"));
            String outbox = RedisKeys.product(productId).outbox();

            RunSummary down;
            servers.kafka().orElseThrow().stop();
            try {
                down = fixture.run();
            } finally {
                servers.kafka().orElseThrow().start();
            }

            assertThat(down.count(Actions.REDRIVEN)).isZero();
            assertThat(down.count(Actions.REDRIVE_FAILED)).isEqualTo(3);
            assertThat(fixture.redis.xlen(outbox)).as("never dropped on an unknown outcome").isEqualTo(3);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        fixture.run(); // every minute in production
                        return fixture.redis.xlen(outbox) == 0;
                    });
            assertThat(readAll(servers, topic, 3)).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrderElementsOf(waiting.stream().map(OrderEvent::kafkaKey).toList());
        }
    }

    @Test
    void shouldTalkToMskWithIamOverTls_whenIamAuthIsOn(RealServers servers) {
        try (ReconciliationFixture fixture = new ReconciliationFixture(servers, Map.of("flashsale.kafka.iam-auth", "true"))) {
            Map<String, Object> settings = fixture.context.getBean(OrderEventPublisher.class).settings();

            assertThat(settings).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "AWS_MSK_IAM")
                    .containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
            assertThat(settings.get("sasl.client.callback.handler.class")).asString()
                    .satisfies(handler -> assertThat(AuthenticateCallbackHandler.class.isAssignableFrom(Class.forName(handler)))
                            .as("%s is a SASL callback handler on the classpath", handler).isTrue());
        }
    }

    /** Every record of the topic, at least {@code expected} of them and no more (more would be a duplicate publish). */
    static List<ConsumerRecord<String, byte[]>> readAll(RealServers servers, String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "redrive-test-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
            // anything more would be a duplicate publish
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }
}
