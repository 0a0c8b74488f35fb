package com.flashsale.buy;

import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.TopicReader;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RedisKeys;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** docs/reliability.md row 1: a crowd much larger than the stock, through the real handler. */
@MicronautTest
class BuyLoadTest extends BuyTest {

    private static final int BUYERS = 2_000;
    private static final int UNITS = 100;

    BuyLoadTest(RealServers realServers) {
        super(realServers);
    }

    @Test
    void shouldAcceptExactlyTheStock_when2000BuyersRaceFor100Units() throws Exception {
        ProductCard product = servers.productOnSale(UNITS, 1);
        List<Reply> replies = fixture.crowd(product.productId(), fixture.crowdTokens(product.productId(), BUYERS), 64);

        assertSoldExactly(realServers, fixture, product.productId(), replies, UNITS);
    }

    /**
     * Exactly {@code units} accepted, every other buyer refused with a clean 409, the stock at zero in
     * Redis, one buyer and one Kafka record per accepted request, nothing left in the outbox.
     */
    static void assertSoldExactly(RealServers realServers, BuyFixture fixture, String productId, List<Reply> replies,
                                  int units) {
        Map<String, Long> outcomes = replies.stream().collect(Collectors.groupingBy(
                r -> r.status() + " " + (r.status() == 202 ? "ACCEPTED" : r.error()), Collectors.counting()));
        assertThat(outcomes.get("202 ACCEPTED")).as(outcomes.toString()).isEqualTo(units);
        assertThat(outcomes.keySet()).as(outcomes.toString())
                .isSubsetOf("202 ACCEPTED", "409 SOLD_OUT", "409 ALREADY_PURCHASED");
        assertThat(replies.stream().filter(r -> r.status() == 202).map(r -> r.string("requestId")).distinct())
                .hasSize(units);

        assertThat(fixture.buy.context().getBean(com.flashsale.http.Outcomes.class).snapshot())
                .containsEntry("ACCEPTED", (long) units).containsEntry("PUBLISHED", (long) units);
        assertThat(fixture.servers.stock(productId)).isZero();
        assertThat(fixture.servers.redis().hlen(RedisKeys.product(productId).buyers())).isEqualTo(units);
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.servers.outboxLength(productId) == 0);
        try (TopicReader reader = new TopicReader(realServers.kafkaBootstrapServers(), fixture.topic)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.poll().size() >= units);
            // and no more than that, for a while
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> reader.poll().size() == units);
            assertThat(reader.poll().stream().map(r -> r.key()).collect(Collectors.toSet())).hasSize(units);
        }
    }
}
