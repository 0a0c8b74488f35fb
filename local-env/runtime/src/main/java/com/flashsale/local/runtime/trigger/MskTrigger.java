package com.flashsale.local.runtime.trigger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flashsale.local.runtime.lambda.Invocable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The MSK event source mapping on one machine: polls the topic as a consumer group, hands the
 * consumer function AWS-shaped {@code KafkaEvent} batches (records grouped by
 * {@code "<topic>-<partition>"}, base64 key and value, headers as byte arrays), and commits the
 * offsets only after the invocation succeeded. A failed invocation is retried with the same
 * batch, which blocks those partitions until it succeeds — at least once, as MSK does.
 */
public final class MskTrigger implements AutoCloseable {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final ObjectMapper json = new ObjectMapper();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Invocable function;
    private final String bootstrapServers;
    private final Thread thread;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failedInvocations = new AtomicLong();
    private volatile boolean running = true;
    private volatile DeliveryHook hook = DeliveryHook.NONE;

    public MskTrigger(String bootstrapServers, String topic, String groupId, int batchSize, Invocable function) {
        this.bootstrapServers = bootstrapServers;
        this.function = function;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batchSize),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        this.thread = new Thread(this::run, "msk-trigger-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** Records the function has processed (committed), and invocations that failed and were retried. */
    public long delivered() {
        return delivered.get();
    }

    public long failedInvocations() {
        return failedInvocations.get();
    }

    /** Until replaced, every batch passes through this hook on its way to the function. */
    public void hook(DeliveryHook hook) {
        this.hook = hook;
    }

    private void run() {
        Duration backoff = Duration.ofMillis(100);
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                if (batch.isEmpty()) {
                    continue;
                }
                try {
                    hook.deliver(new Batch(byPartition(batch)), delivery -> function.invoke(kafkaEvent(delivery)));
                    consumer.commitSync(nextOffsets(batch));
                    delivered.addAndGet(batch.count());
                    backoff = Duration.ofMillis(100);
                } catch (RuntimeException e) {
                    failedInvocations.incrementAndGet();
                    System.err.println("msk-trigger: invocation failed, the batch will be retried: " + e.getMessage());
                    rewind(batch);
                    pause(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the poll up
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private static Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition(ConsumerRecords<byte[], byte[]> batch) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records = new HashMap<>();
        batch.partitions().forEach(partition -> records.put(partition, batch.records(partition)));
        return records;
    }

    /** The batch as the Lambda runtime hands it to the function: a {@code KafkaEvent}'s JSON. */
    public String kafkaEvent(Batch batch) {
        ObjectNode event = json.createObjectNode();
        event.put("eventSource", "aws:kafka");
        event.put("eventSourceArn", "arn:aws:kafka:local:000000000000:cluster/flashsale-local/local");
        event.put("bootstrapServers", bootstrapServers);
        ObjectNode records = event.putObject("records");
        for (Map.Entry<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> partition : batch.records().entrySet()) {
            ArrayNode list = records.putArray(partition.getKey().topic() + "-" + partition.getKey().partition());
            for (ConsumerRecord<byte[], byte[]> record : partition.getValue()) {
                ObjectNode node = list.addObject();
                node.put("topic", record.topic());
                node.put("partition", record.partition());
                node.put("offset", record.offset());
                node.put("timestamp", record.timestamp());
                node.put("timestampType", record.timestampType().name().replace(' ', '_').toUpperCase());
                if (record.key() != null) {
                    node.put("key", Base64.getEncoder().encodeToString(record.key()));
                }
                node.put("value", record.value() == null ? null : Base64.getEncoder().encodeToString(record.value()));
                ArrayNode headers = node.putArray("headers");
                for (Header header : record.headers()) {
                    ArrayNode bytes = headers.addObject().putArray(header.key());
                    for (byte b : header.value() == null ? new byte[0] : header.value()) {
                        bytes.add(b);
                    }
                }
            }
        }
        return event.toString();
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : batch.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> records = batch.records(partition);
            offsets.put(partition, new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private void rewind(ConsumerRecords<byte[], byte[]> batch) {
        for (TopicPartition partition : batch.partitions()) {
            consumer.seek(partition, batch.records(partition).get(0).offset());
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
