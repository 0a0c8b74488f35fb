package com.flashsale.shared.redis;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RedisCluster;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A Lettuce connection to the real Redis (the standalone server, or the Redis Cluster in cluster
 * mode as the functions connect to ElastiCache), a gate over it, and fresh products for each test.
 */
final class RedisFixture implements AutoCloseable {

    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> connection;
    final RedisClusterCommands<String, String> redis;
    final RedisClusterAsyncCommands<String, String> async;
    final SaleGate gate;

    RedisFixture(RealServers servers) {
        RedisClient standalone = RedisClient.create(servers.redisUri());
        StatefulRedisConnection<String, String> opened = standalone.connect();
        client = standalone;
        connection = opened;
        redis = opened.sync();
        async = opened.async();
        gate = new SaleGate(new ScriptRunner(opened.async()), Duration.ofHours(1));
    }

    RedisFixture(RedisCluster cluster) {
        RedisClusterClient clustered = RedisClusterClient.create(cluster.uris().stream().map(RedisURI::create).toList());
        StatefulRedisClusterConnection<String, String> opened = clustered.connect();
        client = clustered;
        connection = opened;
        redis = opened.sync();
        async = opened.async();
        gate = new SaleGate(new ScriptRunner(opened.async()), Duration.ofHours(1));
    }

    static String newProductId() {
        return "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** A product on sale now (window one hour either side), loaded into Redis. */
    ProductCard productOnSale(int stock, int limitPerUser) {
        return productOnSale(stock, limitPerUser, 1);
    }

    /** A product on sale now whose stock is split over {@code shards} Redis slots. */
    ProductCard productOnSale(int stock, int limitPerUser, int shards) {
        Instant now = Instant.now();
        return load(new ProductCard(newProductId(), "phone", 99_900, stock, now.minusSeconds(3600),
                now.plusSeconds(3600), limitPerUser, shards));
    }

    ProductCard load(ProductCard product) {
        Preload preload = gate.preload(product, product.stock(), product.endsAt().plus(Duration.ofDays(1)))
                .toCompletableFuture().join();
        if (preload.outcome() != Preload.Outcome.LOADED) {
            throw new IllegalStateException("not loaded: " + preload);
        }
        return product;
    }

    /** A fresh nonce, as the token function puts in a token: nothing of it is in Redis until a purchase spends it. */
    String nonceFor(String productId) {
        return UUID.randomUUID().toString();
    }

    Admission admit(String productId, String userId, int quantity, String nonce, String idempotencyKey) {
        return admit(attempt(productId, userId, quantity, nonce, idempotencyKey), null, null);
    }

    Admission admit(PurchaseAttempt attempt, RateLimit perUser, RateLimit perIp) {
        return gate.admit(attempt, perUser, perIp).toCompletableFuture().join();
    }

    /** An attempt with a token valid for another minute, from 10.0.0.1. */
    static PurchaseAttempt attempt(String productId, String userId, int quantity, String nonce, String idempotencyKey) {
        return new PurchaseAttempt(RequestIds.newRequestId(productId), userId, productId, quantity, nonce,
                Instant.now().plusSeconds(60), "10.0.0.1", idempotencyKey);
    }

    long stock(String productId) {
        return Long.parseLong(redis.get(RedisKeys.product(productId).stock()));
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
