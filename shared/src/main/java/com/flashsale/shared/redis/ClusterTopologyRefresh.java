package com.flashsale.shared.redis;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Micronaut leaves Lettuce's cluster topology refresh off: after an ElastiCache failover the
 * client would keep sending to the old primary. Refresh on MOVED/ASK and reconnects, and every 30 s.
 */
@Singleton
public class ClusterTopologyRefresh implements BeanCreatedEventListener<RedisClusterClient> {

    @Override
    public RedisClusterClient onCreated(BeanCreatedEvent<RedisClusterClient> event) {
        RedisClusterClient client = event.getBean();
        client.setOptions(ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .enableAllAdaptiveRefreshTriggers()
                        .build())
                .build());
        return client;
    }
}
