package com.flashsale.buy;

import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.local.servers.KafkaServer;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.event.OrderEvent;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RedisKeys;
import io.lettuce.core.StreamMessage;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/reliability.md row 4: Kafka is down while people buy. The admitted requests still get 202, their
 * stock stays taken (never given back on an unknown outcome) and their events wait in the outbox
 * for the reconciliation's re-drive.
 */
@MicronautTest
class BuyKafkaDownTest extends BuyTest {

    private static final int BUYERS = 6;

    BuyKafkaDownTest(RealServers realServers) {
        super(realServers);
    }

    @Override
    protected Map<String, Object> properties() {
        Map<String, Object> properties = super.properties();
        properties.putAll(Map.of(
                "kafka.producers.orders.max.block.ms", "1000",
                "kafka.producers.orders.request.timeout.ms", "1000",
                "kafka.producers.orders.delivery.timeout.ms", "1500",
                "flashsale.publish-timeout", "2s"));
        return properties;
    }

    @Test
    void shouldAcceptAndKeepEventsInOutbox_whenKafkaIsDown() throws Exception {
        Assumptions.assumeTrue(realServers.kafka().isPresent(), "Kafka is an existing server: cannot stop it");
        KafkaServer kafka = realServers.kafka().orElseThrow();
        ProductCard product = servers.productOnSale(100, 1);
        // a warm container: the producer already knows the topic
        assertThat(fixture.buy("warm-user", product.productId(), 1).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> servers.outboxLength(product.productId()) == 0);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < BUYERS; i++) {
            tokens.add(servers.token("user-" + i, product.productId()));
        }

        List<Reply> replies = new ArrayList<>();
        kafka.stop();
        ExecutorService pool = Executors.newFixedThreadPool(BUYERS);
        try {
            List<Callable<Reply>> calls = new ArrayList<>();
            for (int i = 0; i < BUYERS; i++) {
                String userId = "user-" + i;
                String token = tokens.get(i);
                calls.add(() -> fixture.buy.invoke(fixture.buyEvent(userId, product.productId(), 1, token)));
            }
            for (Future<Reply> future : pool.invokeAll(calls)) {
                replies.add(future.get());
            }
        } finally {
            pool.shutdownNow();
            kafka.start();
        }

        assertThat(replies).extracting(Reply::status).containsOnly(202);
        assertThat(servers.stock(product.productId())).isEqualTo(100 - 1 - BUYERS);
        List<StreamMessage<String, String>> outbox = servers.redis()
                .xrange(RedisKeys.product(product.productId()).outbox(), io.lettuce.core.Range.create("-", "+"));
        assertThat(outbox).hasSize(BUYERS);
        assertThat(outbox.stream().map(m -> OrderEvent.fromOutbox(m.getBody()).requestId()))
                .containsExactlyInAnyOrderElementsOf(replies.stream().map(r -> r.string("requestId")).toList());
    }
}
