package com.flashsale.buy;

import com.flashsale.http.PrimingTrace;
import com.flashsale.http.TopicReader;
import com.flashsale.local.servers.RealServers;
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
 * Invoke priming (issue 18) in the buy function: the checkpoint hook takes a buy through the handler
 * to the admission script and back, and leaves no trace: no Redis write, no stock moved, no order
 * event published.
 */
@MicronautTest
class BuyPrimingTest extends BuyTest {

    BuyPrimingTest(RealServers realServers) {
        super(realServers);
    }

    @Override
    protected Map<String, Object> properties() {
        Map<String, Object> properties = super.properties();
        properties.put(PrimingTrace.ROUNDS_SETTING, ROUNDS);
        return properties;
    }

    @Test
    void shouldRunTheHotPathsAndLeaveNoTrace_whenTheCheckpointHookRuns() {
        try (TopicReader reader = new TopicReader(realServers.kafkaBootstrapServers(), topic)) {
            ProductCard product = servers.productOnSale(10, 1);
            String alice = fixture.buy("alice", product.productId(), 1).string("requestId");
            await().atMost(Duration.ofSeconds(30)).until(() -> published(reader).size() == 1);
            Map<String, String> productBefore = servers.productState(product.productId());
            BuyPriming priming = context.getBean(BuyPriming.class);

            PrimingTrace trace = PrimingTrace.ofCheckpoint(context, servers, null);

            assertThat(priming.lastStatuses()).as("admission NOT_FOUND, sold out, bad token, bad input, each round")
                    .isEqualTo(Map.of(404, ROUNDS, 409, ROUNDS, 403, ROUNDS, 400, ROUNDS));
            assertThat(trace.redisWrites()).as("Redis commands that write, while priming").isEmpty();
            assertThat(trace.keysAfter()).as("keys (an expiry may only lower it)").isLessThanOrEqualTo(trace.keysBefore());
            assertThat(servers.productState(product.productId())).isEqualTo(productBefore);
            assertThat(servers.stock(product.productId())).isEqualTo(9);
            String bob = fixture.buy("bob", product.productId(), 1).string("requestId");
            await().atMost(Duration.ofSeconds(30)).until(() -> published(reader).size() >= 2);
            assertThat(published(reader)).as("only the real buys were published")
                    .hasSize(2).allMatch(value -> value.contains(alice) || value.contains(bob));
        }
    }

    private static List<String> published(TopicReader reader) {
        return reader.poll().stream().map(ConsumerRecord::value).toList();
    }
}
