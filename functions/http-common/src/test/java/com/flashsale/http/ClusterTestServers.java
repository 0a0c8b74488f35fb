package com.flashsale.http;

import com.flashsale.local.servers.CommandStats;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RedisCluster;
import com.flashsale.shared.redis.Preload;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.redis.SaleGate;
import com.flashsale.shared.redis.ScriptRunner;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The Redis Cluster of the real servers (ElastiCache's topology), for tests that count the commands
 * a function sends to the product's shard: from the master's INFO commandstats, before and after.
 */
public final class ClusterTestServers implements AutoCloseable {

    private final RedisCluster cluster;
    private final RedisClusterClient client;
    private final StatefulRedisClusterConnection<String, String> connection;
    private final SaleGate gate;

    public ClusterTestServers(RealServers servers) {
        this.cluster = servers.redisCluster();
        this.client = RedisClusterClient.create(cluster.uris().stream().map(RedisURI::create).toList());
        this.connection = client.connect();
        this.gate = new SaleGate(new ScriptRunner(connection.async()), Duration.ofHours(1));
    }

    /** A function's settings on the cluster in cluster mode, as in Lambda. */
    public Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("redis.uris", String.join(",", cluster.uris()));
        properties.put("flashsale.token.current-key", TestServers.TOKEN_KEY);
        return properties;
    }

    /**
     * A product on sale now whose shard (the master of its slot) holds none of {@code apart}: what the
     * product's shard counts is then the product's work alone.
     */
    public ProductCard productOnSaleApartFrom(int stock, String... apart) {
        for (int attempt = 0; attempt < 100; attempt++) {
            String productId = TestServers.newProductId();
            int shard = cluster.masterPortOf(RedisKeys.product(productId).meta());
            if (Arrays.stream(apart).noneMatch(key -> cluster.masterPortOf(key) == shard)) {
                Instant now = Instant.now();
                ProductCard product = new ProductCard(productId, "phone", 99_900, stock, now.minusSeconds(3600),
                        now.plusSeconds(3600), 1);
                Preload preload = gate.preload(product, stock, product.endsAt().plus(Duration.ofDays(1)))
                        .toCompletableFuture().join();
                if (preload.outcome() != Preload.Outcome.LOADED) {
                    throw new IllegalStateException("not loaded: " + preload);
                }
                return product;
            }
        }
        throw new IllegalStateException("no product id on a shard apart from " + Arrays.toString(apart));
    }

    /** The product's shard's command statistics now. */
    public CommandStats productShard(String productId) {
        return cluster.commandStatsOfMasterOf(RedisKeys.product(productId).meta());
    }

    public RedisClusterCommands<String, String> redis() {
        return connection.sync();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
