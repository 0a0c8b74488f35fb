package com.flashsale.shared.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micronaut.context.BeanContext;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.crac.OrderedResource;
import io.micronaut.crac.resources.redis.RedisNamedConfigResource;
import jakarta.inject.Singleton;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The function's one Redis connection, made by micronaut-redis-lettuce: cluster when
 * {@code redis.uris} is set (ElastiCache), standalone otherwise. Opened on first use, so Redis
 * being down fails a request, not the cold start.
 *
 * <p>SnapStart: a connection in the snapshot would be a dead socket in every restored container
 * (and shared by all of them), so it is closed before the checkpoint (the connection and client
 * beans are destroyed) and opened again after the restore. It replaces micronaut-crac's own Redis
 * resource, which knows neither the cluster connection nor the holders of the old one.
 */
@Singleton
@Replaces(RedisNamedConfigResource.class)
public class RedisConnection implements OrderedResource {

    private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);

    private final BeanContext beans;
    private final BeanProvider<StatefulRedisClusterConnection<String, String>> cluster;
    private final BeanProvider<StatefulRedisConnection<String, String>> standalone;
    private volatile RedisClusterAsyncCommands<String, String> commands;

    public RedisConnection(BeanContext beans,
                           BeanProvider<StatefulRedisClusterConnection<String, String>> cluster,
                           BeanProvider<StatefulRedisConnection<String, String>> standalone) {
        this.beans = beans;
        this.cluster = cluster;
        this.standalone = standalone;
    }

    /** The asynchronous commands; opens the connection when there is none (throws if Redis is away). */
    public RedisClusterAsyncCommands<String, String> commands() {
        RedisClusterAsyncCommands<String, String> current = commands;
        if (current == null) {
            synchronized (this) {
                current = commands;
                if (current == null) {
                    current = cluster.isPresent() ? cluster.get().async() : standalone.get().async();
                    commands = current;
                }
            }
        }
        return current;
    }

    @Override
    public synchronized void beforeCheckpoint(Context<? extends Resource> context) {
        commands = null;
        // only beans that exist: looking one up would create (and connect) it
        destroyAll(StatefulRedisClusterConnection.class);
        destroyAll(StatefulRedisConnection.class);
        destroyAll(RedisClusterClient.class);
        destroyAll(RedisClient.class);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        try {
            commands();
        } catch (RuntimeException e) {
            LOG.warn("Redis not reachable after restore ({}); the first request connects", e.toString());
        }
    }

    private void destroyAll(Class<?> type) {
        beans.getActiveBeanRegistrations(type).forEach(beans::destroyBean);
    }
}
