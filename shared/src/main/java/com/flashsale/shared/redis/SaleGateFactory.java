package com.flashsale.shared.redis;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * The {@link SaleGate} of a function, over its {@link RedisConnection}: {@code redis.uri} for a
 * standalone server (local), {@code redis.uris} for a cluster (ElastiCache).
 */
@Factory
public class SaleGateFactory {

    @Singleton
    SaleGate saleGate(RedisConnection connection,
                      @Value("${flashsale.request-state-ttl:24h}") Duration requestStateTtl) {
        return new SaleGate(new ScriptRunner(connection::commands), requestStateTtl);
    }
}
