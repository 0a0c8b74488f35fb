package com.flashsale.buy;

import com.flashsale.http.PrimingTrace;
import com.flashsale.http.TopicReader;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.config.OrdersTopicConfiguration;
import com.flashsale.shared.redis.ProductCard;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.flashsale.http.PrimingTrace.ROUNDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Invoke priming (issue 18) in the buy function: the checkpoint hook takes accepted purchases through
 * the handler, the admission script and Kafka, and leaves no trace: no key of its sale left in Redis,
 * no real product's stock moved, no order event on the orders topic (they went to the priming topic).
 */
@MicronautTest
class BuyPrimingTest extends BuyTest {

    BuyPrimingTest(RealServers realServers) {
        super(realServers);
    }

    @Override
    protected Map<String, Object> properties() {
        Map<String, Object> properties = super.properties();
        properties.putAll(PrimingTrace.SETTINGS);
        return properties;
    }

    @Test
    void shouldRunTheHotPathsAndLeaveNoTrace_whenTheCheckpointHookRuns() {
        String primingTopic = OrdersTopicConfiguration.primingTopicOf(topic);
        try (TopicReader reader = new TopicReader(realServers.kafkaBootstrapServers(), topic);
             TopicReader primingReader = new TopicReader(realServers.kafkaBootstrapServers(), primingTopic)) {
            ProductCard product = servers.productOnSale(10, 1);
            String alice = fixture.buy("alice", product.productId(), 1).string("requestId");
            await().atMost(Duration.ofSeconds(30)).until(() -> published(reader).size() == 1);
            Map<String, String> productBefore = servers.productState(product.productId());
            BuyPriming priming = context.getBean(BuyPriming.class);

            PrimingTrace trace = PrimingTrace.ofCheckpoint(context, servers, null);

            assertThat(priming.lastStatuses()).as("accepted, the same token again, sold out, bad token, bad input")
                    .isEqualTo(Map.of(202, ROUNDS, 403, 2 * ROUNDS, 409, ROUNDS, 400, ROUNDS));
            assertThat(trace.redisWrites()).as("the priming sale's writes").containsKeys("decrby", "xadd", "del");
            assertThat(trace.keysLeft()).as("keys of the priming sale left").isEmpty();
            assertThat(trace.keysAfter()).as("keys (an expiry may only lower it)").isLessThanOrEqualTo(trace.keysBefore());
            assertThat(servers.productState(product.productId())).isEqualTo(productBefore);
            assertThat(servers.stock(product.productId())).isEqualTo(9);
            await().atMost(Duration.ofSeconds(30)).until(() -> published(primingReader).size() >= ROUNDS);
            String bob = fixture.buy("bob", product.productId(), 1).string("requestId");
            await().atMost(Duration.ofSeconds(30)).until(() -> published(reader).size() >= 2);
            assertThat(published(reader)).as("only the real buys were published on the orders topic")
                    .hasSize(2).allMatch(value -> value.contains(alice) || value.contains(bob));
        }
    }

    private static List<String> published(TopicReader reader) {
        return reader.poll().stream().map(ConsumerRecord::value).toList();
    }
}
