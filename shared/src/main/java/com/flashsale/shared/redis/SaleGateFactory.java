package com.flashsale.shared.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * The {@link SaleGate} of a function, over the connection micronaut-redis-lettuce made:
 * {@code redis.uri} for a standalone server (local), {@code redis.uris} for a cluster (ElastiCache).
 */
@Factory
public class SaleGateFactory {

    @Singleton
    SaleGate saleGate(BeanProvider<StatefulRedisClusterConnection<String, String>> cluster,
                      BeanProvider<StatefulRedisConnection<String, String>> standalone,
                      @Value("${flashsale.request-state-ttl:24h}") Duration requestStateTtl) {
        RedisScriptingAsyncCommands<String, String> commands = cluster.isPresent()
                ? cluster.get().async()
                : standalone.get().async();
        return new SaleGate(new ScriptRunner(commands), requestStateTtl);
    }
}
