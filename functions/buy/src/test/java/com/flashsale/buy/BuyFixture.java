package com.flashsale.buy;

import com.flashsale.http.Events;
import com.flashsale.http.LambdaHarness;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;

import java.util.Map;

/** The buy function over the real servers, with its own topic. */
final class BuyFixture implements AutoCloseable {

    final TestServers servers;
    final String topic;
    final LambdaHarness buy;

    BuyFixture(RealServers realServers, Map<String, Object> overrides) {
        servers = new TestServers(realServers);
        topic = realServers.freshTopic("orders", 4);
        Map<String, Object> properties = servers.redisProperties();
        properties.put("kafka.bootstrap.servers", realServers.kafkaBootstrapServers());
        properties.put("flashsale.orders-topic", topic);
        // many simulated users share this machine's address in the load tests
        properties.put("flashsale.rate-limit.ip.per-second", 1_000_000);
        properties.put("flashsale.rate-limit.ip.burst", 1_000_000);
        properties.put("flashsale.rate-limit.user.burst", 1_000);
        properties.putAll(overrides);
        buy = new LambdaHarness(properties);
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

    @Override
    public void close() {
        buy.close();
        servers.close();
    }
}
