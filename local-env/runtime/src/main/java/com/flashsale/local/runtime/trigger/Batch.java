package com.flashsale.local.runtime.trigger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.util.List;
import java.util.Map;

/** One poll's records, by partition: what the trigger hands the consumer function as one {@code KafkaEvent}. */
public record Batch(Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records) {

    public Batch {
        records = Map.copyOf(records);
    }
}
