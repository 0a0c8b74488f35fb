package com.flashsale.buy;

import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.TopicReader;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RedisKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** RELIABILITY.md row 1: a crowd much larger than the stock, through the real handler. */
@ExtendWith(RealServersExtension.class)
class BuyLoadTest {

    private static final int BUYERS = 2_000;
    private static final int UNITS = 100;

    @Test
    void shouldAcceptExactlyTheStock_when2000BuyersRaceFor100Units(RealServers realServers) throws Exception {
        try (BuyFixture fixture = new BuyFixture(realServers, Map.of())) {
            ProductCard product = fixture.servers.productOnSale(UNITS, 1);
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < BUYERS; i++) {
                tokens.add(fixture.servers.token("buyer-" + i, product.productId()));
            }
            ExecutorService pool = Executors.newFixedThreadPool(64);
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Reply>> calls = new ArrayList<>();
            for (int i = 0; i < BUYERS; i++) {
                String userId = "buyer-" + i;
                String token = tokens.get(i);
                calls.add(() -> {
                    start.await();
                    return fixture.buy.invoke(fixture.buyEvent(userId, product.productId(), 1, token)
                            .from("198.51.100." + (userId.hashCode() & 0xff)));
                });
            }

            List<Future<Reply>> futures = new ArrayList<>();
            long started = System.nanoTime();
            try {
                calls.forEach(call -> futures.add(pool.submit(call)));
                start.countDown();
                List<Reply> replies = new ArrayList<>();
                for (Future<Reply> future : futures) {
                    replies.add(future.get());
                }
                System.out.printf("%d buys in %d ms%n", BUYERS, (System.nanoTime() - started) / 1_000_000);

                Map<String, Long> outcomes = replies.stream().collect(Collectors.groupingBy(
                        r -> r.status() + " " + (r.status() == 202 ? "ACCEPTED" : r.error()), Collectors.counting()));
                assertThat(outcomes.get("202 ACCEPTED")).as(outcomes.toString()).isEqualTo(UNITS);
                assertThat(outcomes.keySet()).as(outcomes.toString())
                        .isSubsetOf("202 ACCEPTED", "409 SOLD_OUT", "409 ALREADY_PURCHASED");
                assertThat(replies.stream().filter(r -> r.status() == 202).map(r -> r.string("requestId")).distinct())
                        .hasSize(UNITS);
            } finally {
                pool.shutdownNow();
            }

            assertThat(fixture.buy.context().getBean(com.flashsale.http.Outcomes.class).snapshot())
                    .containsEntry("ACCEPTED", (long) UNITS).containsEntry("PUBLISHED", (long) UNITS);
            assertThat(fixture.servers.stock(product.productId())).isZero();
            assertThat(fixture.servers.redis().hlen(RedisKeys.product(product.productId()).buyers())).isEqualTo(UNITS);
            assertThat(fixture.servers.outboxLength(product.productId())).isZero();
            try (TopicReader reader = new TopicReader(realServers.kafkaBootstrapServers(), fixture.topic)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> reader.poll().size() >= UNITS);
                // and no more than that, for a while
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> reader.poll().size() == UNITS);
                assertThat(reader.poll().stream().map(r -> r.key()).collect(Collectors.toSet())).hasSize(UNITS);
            }
        }
    }

}
