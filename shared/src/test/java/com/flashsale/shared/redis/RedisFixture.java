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

    /** Issues a nonce the way the token function does and returns it. */
    String nonceFor(String productId) {
        String nonce = UUID.randomUUID().toString();
        NonceIssue issue = gate.issueNonce(productId, nonce, Duration.ofMinutes(1)).toCompletableFuture().join();
        if (issue.outcome() != NonceIssue.Outcome.ISSUED) {
            throw new IllegalStateException("no nonce: " + issue);
        }
        return nonce;
    }

    /** A nonce handed out earlier (by a token issued before the stock ran out, say). */
    String grantNonce(String productId) {
        String nonce = UUID.randomUUID().toString();
        redis.setex(RedisKeys.product(productId).nonce(nonce), 60, "1");
        return nonce;
    }

    Admission admit(String productId, String userId, int quantity, String nonce, String idempotencyKey) {
        return gate.admit(new PurchaseAttempt(RequestIds.newRequestId(productId), userId, productId, quantity, nonce,
                idempotencyKey)).toCompletableFuture().join();
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
