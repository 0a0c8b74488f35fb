package com.flashsale.shared.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import io.micronaut.configuration.lettuce.ClientResourcesMutator;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Lettuce doubles its wait after each failed reconnect, up to 30 s. A cluster client re-reads the
 * topology on a reconnect attempt ({@link ClusterTopologyRefresh}), so after its master is lost it
 * finds the promoted replica only at its next attempt, and those come 4 s, 8 s, 16 s apart: on the
 * local Redis Cluster, a replica promoted 5 s after the kill was served 4 s after its promotion
 * ({@code RedisConnectionFailoverTest}); an ElastiCache failover takes tens of seconds. Capped at
 * {@link #CAP}, the attempts (on a refused connection, one round trip each) go on twice a second
 * whatever the outage's length. A standalone Redis that restarts is found as soon.
 */
@Singleton
public class ReconnectDelay implements ClientResourcesMutator {

    static final Duration CAP = Duration.ofMillis(500);

    @Override
    public void mutate(ClientResources.Builder builder, AbstractRedisConfiguration configuration) {
        builder.reconnectDelay(Delay.exponential(Duration.ZERO, CAP, 2, TimeUnit.MILLISECONDS));
    }
}
