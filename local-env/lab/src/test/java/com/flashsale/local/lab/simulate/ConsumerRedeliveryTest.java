package com.flashsale.local.lab.simulate;

import com.flashsale.local.runtime.trigger.Batch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The fault of rows 5 and 6: the consumer died after its commit, so the batch comes again, shuffled and doubled. */
class ConsumerRedeliveryTest {

    @Test
    void shouldDeliverTheBatch_thenEachPartitionsRecordsTwiceInAnyOrder() {
        TopicPartition p0 = new TopicPartition("orders", 0);
        TopicPartition p1 = new TopicPartition("orders", 1);
        Batch batch = new Batch(Map.of(p0, records(p0, 0, 5), p1, records(p1, 100, 3)));
        List<Batch> delivered = new ArrayList<>();
        ConsumerRedelivery redelivery = new ConsumerRedelivery();

        redelivery.deliver(batch, delivered::add);

        assertThat(delivered).hasSize(2);
        assertThat(delivered.get(0)).isEqualTo(batch);
        for (TopicPartition partition : List.of(p0, p1)) {
            List<ConsumerRecord<byte[], byte[]>> twice = new ArrayList<>(batch.records().get(partition));
            twice.addAll(batch.records().get(partition));
            assertThat(delivered.get(1).records().get(partition)).containsExactlyInAnyOrderElementsOf(twice);
        }
        assertThat(redelivery.redeliveries()).isEqualTo(1);
    }

    private static List<ConsumerRecord<byte[], byte[]>> records(TopicPartition partition, long firstOffset, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> new ConsumerRecord<>(partition.topic(), partition.partition(), firstOffset + i,
                        ("k" + i).getBytes(), ("v" + i).getBytes()))
                .toList();
    }
}
