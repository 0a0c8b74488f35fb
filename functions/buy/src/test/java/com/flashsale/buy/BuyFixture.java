package com.flashsale.buy;

import com.flashsale.http.Events;
import com.flashsale.http.FunctionTest;
import com.flashsale.http.LambdaHarness;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The buy function over the real servers, with its own topic: on micronaut-test's context
 * ({@link BuyTest}) or in a context of its own ({@link #BuyFixture(RealServers, Map)}).
 */
final class BuyFixture implements AutoCloseable {

    final TestServers servers;
    final String topic;
    final LambdaHarness buy;

    BuyFixture(TestServers servers, String topic, LambdaHarness buy) {
        this.servers = servers;
        this.topic = topic;
        this.buy = buy;
    }

    /** A container of its own, {@link #properties} and {@code overrides} its settings; closed with the fixture. */
    BuyFixture(RealServers realServers, Map<String, Object> overrides) {
        servers = new TestServers(realServers);
        topic = realServers.freshTopic("orders", 4);
        Map<String, Object> properties = properties(servers, topic);
        properties.putAll(overrides);
        buy = new LambdaHarness(properties, BuyHandler::new);
    }

    /** The buy function's settings for the real servers and {@code topic}. */
    static Map<String, Object> properties(TestServers servers, String topic) {
        Map<String, Object> properties = servers.redisProperties();
        properties.put("kafka.bootstrap.servers", servers.servers().kafkaBootstrapServers());
        properties.put("flashsale.orders-topic", topic);
        properties.putAll(FunctionTest.CROWD_RATE_LIMITS);
        return properties;
    }

    static String body(String productId, int quantity, String token) {
        return "{\"productId\":\"" + productId + "\",\"quantity\":" + quantity + ",\"token\":\"" + token + "\"}";
    }

    Events buyEvent(String userId, String productId, int quantity, String token) {
        return Events.user(userId).post("/api/flash-sale/buy", body(productId, quantity, token));
    }

    /** A buy with a fresh, valid token. */
    LambdaHarness.Reply buy(String userId, String productId, int quantity) {
        return buy.invoke(buyEvent(userId, productId, quantity, servers.token(userId, productId)));
    }

    /** A fresh token for each of {@code buyers} users, "buyer-0"…, in that order. */
    List<String> crowdTokens(String productId, int buyers) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < buyers; i++) {
            tokens.add(servers.token("buyer-" + i, productId));
        }
        return tokens;
    }

    /**
     * The users of {@code tokens} ("buyer-0"…) released at once from {@code threads} threads through
     * the real handler; the replies in the users' order.
     */
    List<LambdaHarness.Reply> crowd(String productId, List<String> tokens, int threads) throws Exception {
        int buyers = tokens.size();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<LambdaHarness.Reply>> futures = new ArrayList<>();
            for (int i = 0; i < buyers; i++) {
                String userId = "buyer-" + i;
                String token = tokens.get(i);
                Callable<LambdaHarness.Reply> call = () -> {
                    start.await();
                    return buy.invoke(buyEvent(userId, productId, 1, token)
                            .from("198.51.100." + (userId.hashCode() & 0xff)));
                };
                futures.add(pool.submit(call));
            }
            long started = System.nanoTime();
            start.countDown();
            List<LambdaHarness.Reply> replies = new ArrayList<>();
            for (Future<LambdaHarness.Reply> future : futures) {
                replies.add(future.get());
            }
            System.out.printf("%d buys in %d ms%n", buyers, (System.nanoTime() - started) / 1_000_000);
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public void close() {
        buy.close();
        servers.close();
    }
}
