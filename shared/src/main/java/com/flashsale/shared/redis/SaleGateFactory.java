package com.flashsale.shared.redis;

import com.flashsale.shared.config.RequestStateConfiguration;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * The {@link SaleGate} of a function, over its {@link RedisConnection}: {@code redis.uri} for a
 * standalone server (local), {@code redis.uris} for a cluster (ElastiCache).
 */
@Factory
public class SaleGateFactory {

    @Singleton
    SaleGate saleGate(RedisConnection connection, RequestStateConfiguration requestState) {
        return new SaleGate(new ScriptRunner(connection::commands), requestState.requestStateTtl());
    }
}
