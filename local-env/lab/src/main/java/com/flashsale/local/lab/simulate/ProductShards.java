package com.flashsale.local.lab.simulate;

import com.flashsale.shared.redis.RedisKeys;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A product's Redis books read over all its stock shards, as the audit and the soak need them:
 * every shard's stock plus the units of transfers in flight, and the union of their buyers,
 * releases and outbox entries.
 */
record ProductShards(RedisClusterCommands<String, String> redis, List<RedisKeys> shards) {

    /** The product's shards, as many as shard 0's meta names (one when it names none). */
    static ProductShards of(RedisClusterCommands<String, String> redis, String productId) {
        String count = redis.hget(RedisKeys.product(productId).meta(), "shards");
        int shards = count == null ? 1 : Integer.parseInt(count);
        return new ProductShards(redis, IntStream.range(0, shards).mapToObj(k -> RedisKeys.shard(productId, k)).toList());
    }

    /** Units in Redis: every shard's stock and the transfers in flight; null when a shard's stock key is gone. */
    Long stock() {
        long units = 0;
        for (RedisKeys shard : shards) {
            String stock = redis.get(shard.stock());
            if (stock == null) {
                return null;
            }
            units += Long.parseLong(stock);
            units += redis.hvals(shard.transfersOut()).stream().mapToLong(v -> Long.parseLong(v.substring(v.indexOf('|') + 1))).sum();
        }
        return units;
    }

    /** The shard whose stock key is gone, if any (for the audit's message). */
    String missingStockKey() {
        return shards.stream().map(RedisKeys::stock).filter(key -> redis.exists(key) == 0).findFirst().orElse(null);
    }

    Map<String, String> buyers() {
        Map<String, String> buyers = new HashMap<>();
        shards.forEach(shard -> buyers.putAll(redis.hgetall(shard.buyers())));
        return buyers;
    }

    Set<String> released() {
        Set<String> released = new HashSet<>();
        shards.forEach(shard -> released.addAll(redis.smembers(shard.released())));
        return released;
    }

    long outboxLength() {
        return shards.stream().mapToLong(shard -> redis.xlen(shard.outbox())).sum();
    }
}
