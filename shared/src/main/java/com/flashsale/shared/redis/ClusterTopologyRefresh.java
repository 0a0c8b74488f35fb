package com.flashsale.shared.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Micronaut leaves Lettuce's cluster topology refresh off: after an ElastiCache failover the
 * client would keep sending to the old primary. Refresh on MOVED/ASK and reconnects, at most once
 * a second, and every 30 s; and a command for a node that is down fails at once instead of
 * waiting in that node's queue: with Lettuce's defaults (one adaptive refresh per 30 s, commands
 * queued while disconnected) a killed master held every buy of its slots until it came back,
 * although its replica served them again within 3 s (measured on the local Redis Cluster).
 */
@Singleton
public class ClusterTopologyRefresh implements BeanCreatedEventListener<RedisClusterClient> {

    @Override
    public RedisClusterClient onCreated(BeanCreatedEvent<RedisClusterClient> event) {
        RedisClusterClient client = event.getBean();
        client.setOptions(options());
        return client;
    }

    /** The options of every cluster client of the project (the functions', the lab's). */
    public static ClusterClientOptions options() {
        return ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                        .build())
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build();
    }
}
