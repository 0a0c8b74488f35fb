package com.flashsale.local.lab.simulate;

import com.flashsale.local.runtime.trigger.Batch;
import com.flashsale.local.runtime.trigger.DeliveryHook;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The order consumer's container dies after its transaction committed and before the trigger
 * committed the offsets (rows 5 and 6 of docs/reliability.md): every batch comes again, its
 * records shuffled and each one twice, and only then are the offsets committed.
 */
final class ConsumerRedelivery implements DeliveryHook {

    private long redeliveries;

    @Override
    public synchronized void deliver(Batch batch, Consumer<Batch> function) {
        function.accept(batch);
        function.accept(shuffledTwice(batch));
        redeliveries++;
    }

    /** Batches delivered a second time. */
    synchronized long redeliveries() {
        return redeliveries;
    }

    private static Batch shuffledTwice(Batch batch) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records = new HashMap<>();
        batch.records().forEach((partition, once) -> {
            List<ConsumerRecord<byte[], byte[]>> twice = new ArrayList<>(once);
            twice.addAll(once);
            Collections.shuffle(twice);
            records.put(partition, twice);
        });
        return new Batch(records);
    }
}
