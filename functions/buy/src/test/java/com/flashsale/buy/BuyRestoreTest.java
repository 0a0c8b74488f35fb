package com.flashsale.buy;

import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.TopicReader;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.redis.ProductCard;
import io.micronaut.crac.test.CheckpointSimulator;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
@ExtendWith(RealServersExtension.class)
class BuyRestoreTest {

    @Test
    void shouldCloseRedisAndKafka_beforeCheckpoint_andBuyAgain_afterRestore(RealServers realServers) {
        String clientName = "buy-crac-" + System.nanoTime();
        try (BuyFixture fixture = new BuyFixture(realServers, Map.of("redis.client-name", clientName));
             TopicReader reader = new TopicReader(realServers.kafkaBootstrapServers(), fixture.topic)) {
            ProductCard product = fixture.servers.productOnSale(10, 1);
            CheckpointSimulator simulator = fixture.buy.context().getBean(CheckpointSimulator.class);
            String before = accepted(fixture.buy("before", product.productId(), 1));
            awaitPublished(reader, before);
            Producer<String, String> snapshotProducer = fixture.buy.context().getBean(OrdersProducer.class).get();
            assertThat(fixture.servers.redisConnections(clientName)).isEqualTo(1);

            simulator.runBeforeCheckpoint();

            await().atMost(Duration.ofSeconds(10)).until(() -> fixture.servers.redisConnections(clientName) == 0);
            assertThatThrownBy(() -> snapshotProducer.send(new ProducerRecord<>(fixture.topic, "k", "v")).get())
                    .hasMessageContaining("closed");

            simulator.runAfterRestore();
            String after = accepted(fixture.buy("after", product.productId(), 1));

            awaitPublished(reader, after);
            assertThat(after).isNotEqualTo(before);
            assertThat(fixture.buy.context().getBean(OrdersProducer.class).get()).isNotSameAs(snapshotProducer);
            assertThat(fixture.servers.redisConnections(clientName)).isEqualTo(1);
            assertThat(fixture.servers.stock(product.productId())).isEqualTo(8);
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
