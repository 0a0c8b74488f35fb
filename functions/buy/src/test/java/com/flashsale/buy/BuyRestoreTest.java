package com.flashsale.buy;

import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.TopicReader;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.redis.ProductCard;
import io.micronaut.crac.test.CheckpointSimulator;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * docs/reliability.md row 14: a buy container after a SnapStart restore. The hooks micronaut-crac runs
 * around the checkpoint (here through its CheckpointSimulator, on the function's real context)
 * close the Redis connection and the idempotent Kafka producer; after the restore, buys are
 * accepted and published again, under new ids.
 */
@MicronautTest
class BuyRestoreTest extends BuyTest {

    private final String clientName = "buy-crac-" + System.nanoTime();

    BuyRestoreTest(RealServers realServers) {
        super(realServers);
    }

    @Override
    protected Map<String, Object> properties() {
        Map<String, Object> properties = super.properties();
        properties.put("redis.client-name", clientName);
        return properties;
    }

    @Test
    void shouldCloseRedisAndKafka_beforeCheckpoint_andBuyAgain_afterRestore() {
        try (TopicReader reader = new TopicReader(realServers.kafkaBootstrapServers(), topic)) {
            ProductCard product = servers.productOnSale(10, 1);
            CheckpointSimulator simulator = context.getBean(CheckpointSimulator.class);
            String before = accepted(fixture.buy("before", product.productId(), 1));
            awaitPublished(reader, before);
            Producer<String, String> snapshotProducer = context.getBean(OrdersProducer.class).get();
            assertThat(servers.redisConnections(clientName)).isEqualTo(1);

            simulator.runBeforeCheckpoint();

            await().atMost(Duration.ofSeconds(10)).until(() -> servers.redisConnections(clientName) == 0);
            assertThatThrownBy(() -> snapshotProducer.send(new ProducerRecord<>(topic, "k", "v")).get())
                    .hasMessageContaining("closed");

            simulator.runAfterRestore();
            String after = accepted(fixture.buy("after", product.productId(), 1));

            awaitPublished(reader, after);
            assertThat(after).isNotEqualTo(before);
            assertThat(context.getBean(OrdersProducer.class).get()).isNotSameAs(snapshotProducer);
            assertThat(servers.redisConnections(clientName)).isEqualTo(1);
            assertThat(servers.stock(product.productId())).isEqualTo(8);
        }
    }

    private static String accepted(Reply reply) {
        assertThat(reply.status()).isEqualTo(202);
        return reply.string("requestId");
    }

    private static void awaitPublished(TopicReader reader, String requestId) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> reader.poll().stream().anyMatch(r -> r.value().contains(requestId)));
    }
}
