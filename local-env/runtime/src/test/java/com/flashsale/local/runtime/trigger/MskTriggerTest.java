package com.flashsale.local.runtime.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flashsale.local.runtime.lambda.Invocable;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The local MSK trigger keeps the contract of the real event source mapping. */
@ExtendWith(RealServersExtension.class)
class MskTriggerTest {

    private final ObjectMapper json = new ObjectMapper();
    private final RealServers servers;

    MskTriggerTest(RealServers servers) {
        this.servers = servers;
    }

    /** A consumer function that records every batch and fails its first {@code failures} invocations. */
    private static final class RecordingFunction implements Invocable {
        final List<String> batches = new CopyOnWriteArrayList<>();
        final AtomicInteger failuresLeft;

        RecordingFunction(int failures) {
            failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public String invoke(String eventJson) {
            batches.add(eventJson);
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("planted failure");
            }
            return "null";
        }
    }

    private void produce(String topic, int count) throws Exception {
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                var record = new ProducerRecord<>(topic, i % 2 == 0 ? "k" + i : null, "v" + i);
                record.headers().add("h", "x".getBytes(StandardCharsets.UTF_8));
                producer.send(record).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private List<String> values(List<String> batches) throws Exception {
        List<String> values = new ArrayList<>();
        for (String batch : batches) {
            for (JsonNode partition : json.readTree(batch).path("records")) {
                for (JsonNode record : partition) {
                    values.add(new String(Base64.getDecoder().decode(record.path("value").asText()), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    @Test
    void shouldDeliverAwsShapedBatches_andCommitOnlyAfterSuccess() throws Exception {
        String topic = servers.freshTopic("trigger", 2);
        produce(topic, 20);
        RecordingFunction function = new RecordingFunction(0);

        try (MskTrigger trigger = new MskTrigger(servers.kafkaBootstrapServers(), topic, "g-" + topic, 5, function)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> trigger.delivered() == 20);
        }

        assertThat(values(function.batches)).hasSize(20).doesNotHaveDuplicates();
        JsonNode event = json.readTree(function.batches.get(0));
        assertThat(event.path("eventSource").asText()).isEqualTo("aws:kafka");
        String partitionKey = event.path("records").fieldNames().next();
        JsonNode record = event.path("records").path(partitionKey).get(0);
        assertThat(partitionKey).isEqualTo(record.path("topic").asText() + "-" + record.path("partition").asInt());
        assertThat(record.path("headers").get(0).path("h").get(0).asInt()).isEqualTo('x');
        assertThat(record.path("timestampType").asText()).isEqualTo("CREATE_TIME");

        // a new trigger of the same group starts after the committed offsets: nothing is delivered twice
        RecordingFunction next = new RecordingFunction(0);
        produce(topic, 1);
        try (MskTrigger trigger = new MskTrigger(servers.kafkaBootstrapServers(), topic, "g-" + topic, 5, next)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> trigger.delivered() == 1);
        }
        assertThat(values(next.batches)).containsExactly("v0");
    }

    @Test
    void shouldRetryTheWholeBatch_whenTheInvocationFails() throws Exception {
        String topic = servers.freshTopic("trigger-retry", 1);
        produce(topic, 3);
        RecordingFunction function = new RecordingFunction(2);

        try (MskTrigger trigger = new MskTrigger(servers.kafkaBootstrapServers(), topic, "g-" + topic, 10, function)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> trigger.delivered() == 3);
            assertThat(trigger.failedInvocations()).isEqualTo(2);
        }

        assertThat(function.batches).hasSize(3);
        assertThat(function.batches.get(0)).isEqualTo(function.batches.get(1)).isEqualTo(function.batches.get(2));
        assertThat(values(function.batches.subList(2, 3))).containsExactly("v0", "v1", "v2");
    }

    @Test
    void shouldPassEveryBatchThroughTheHook_andRetryTheBatch_whenTheHookThrows() throws Exception {
        String topic = servers.freshTopic("trigger-hook", 1);
        RecordingFunction function = new RecordingFunction(0);
        List<Batch> seen = new CopyOnWriteArrayList<>();
        AtomicInteger throwsLeft = new AtomicInteger(1);

        try (MskTrigger trigger = new MskTrigger(servers.kafkaBootstrapServers(), topic, "g-" + topic, 10, function)) {
            trigger.hook((batch, invoke) -> {
                seen.add(batch);
                if (throwsLeft.getAndDecrement() > 0) {
                    throw new IllegalStateException("planted failure");
                }
                invoke.accept(batch);
            });
            produce(topic, 3);
            await().atMost(Duration.ofSeconds(60)).until(() -> trigger.delivered() == 3);
            assertThat(trigger.failedInvocations()).isEqualTo(1);
        }

        assertThat(seen).hasSize(function.batches.size() + 1);
        assertThat(values(function.batches)).containsExactly("v0", "v1", "v2");
    }
}
