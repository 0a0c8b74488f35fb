package com.flashsale.shared.redis;

import com.flashsale.shared.lambda.InitInBackground;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micronaut.context.BeanContext;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import io.micronaut.crac.OrderedResource;
import io.micronaut.crac.resources.redis.RedisNamedConfigResource;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The function's one Redis connection, made from micronaut-redis-lettuce's client: cluster when
 * {@code redis.uris} is set (ElastiCache), standalone otherwise. It starts opening on a thread of
 * its own when this bean is made, which in Lambda is first thing at startup (the init phase, before
 * a SnapStart snapshot), while the rest of the context is built. The library's own connection
 * beans, which Lambda's eager singletons would open one after the other on the main thread (a plain
 * and a pub/sub connection), give way to this one ({@link LettuceConnectionBeans}). Outside Lambda
 * (tests) it opens on first use; after a failure, each use tries again.
 *
 * <p>SnapStart: a connection in the snapshot would be a dead socket in every restored container
 * (and shared by all of them), so it is closed before the checkpoint (with the client beans) and
 * opened again after the restore. It replaces micronaut-crac's own Redis resource, which knows
 * neither the cluster connection nor the holders of the old one.
 */
// first of Lambda's eager singletons: the connection opens while the others are made
@Singleton
@Order(Ordered.HIGHEST_PRECEDENCE)
@Replaces(RedisNamedConfigResource.class)
public class RedisConnection implements OrderedResource {

    private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);

    private final BeanContext beans;
    private final BeanProvider<RedisClusterClient> cluster;
    private final BeanProvider<RedisClient> standalone;
    private final BeanProvider<RedisCommandsGuard> guard;
    private StatefulConnection<String, String> connection;
    private volatile RedisClusterAsyncCommands<String, String> commands;

    public RedisConnection(BeanContext beans, BeanProvider<RedisClusterClient> cluster, BeanProvider<RedisClient> standalone,
                           BeanProvider<RedisCommandsGuard> guard) {
        this.beans = beans;
        this.cluster = cluster;
        this.standalone = standalone;
        this.guard = guard;
    }

    @PostConstruct
    void openWhileTheContextStarts() {
        InitInBackground.start("redis-connect", () -> open("at startup"));
    }

    /** The asynchronous commands; opens the connection when there is none (throws if Redis is away). */
    public RedisClusterAsyncCommands<String, String> commands() {
        RedisClusterAsyncCommands<String, String> current = commands;
        if (current == null) {
            synchronized (this) {
                connection();
                current = commands;
            }
        }
        return current;
    }

    /**
     * The connection itself: a {@link StatefulRedisClusterConnection} with {@code redis.uris}, a
     * {@link StatefulRedisConnection} otherwise; opened when there is none.
     */
    synchronized StatefulConnection<String, String> connection() {
        if (connection == null) {
            if (cluster.isPresent()) {
                StatefulRedisClusterConnection<String, String> opened = cluster.get().connect();
                connection = opened;
                commands = guarded(opened.async());
            } else {
                StatefulRedisConnection<String, String> opened = standalone.get().connect();
                connection = opened;
                commands = guarded(opened.async());
            }
        }
        return connection;
    }

    /** Through the function's {@link RedisCommandsGuard} when it has one (the HTTP functions' breaker). */
    private RedisClusterAsyncCommands<String, String> guarded(RedisClusterAsyncCommands<String, String> commands) {
        return guard.find(null).map(g -> g.guard(commands)).orElse(commands);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        close();
        // only beans that exist: looking one up would create it
        destroyAll(StatefulRedisClusterConnection.class);
        destroyAll(StatefulRedisConnection.class);
        destroyAll(RedisClusterClient.class);
        destroyAll(RedisClient.class);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        open("after restore");
    }

    /**
     * Closed as the context begins to shut down, before the client and its event loops go: a
     * connection still open then sees its channel die and tries to reconnect on a closed executor.
     */
    @EventListener
    void onShutdown(ShutdownEvent shutdown) {
        close();
    }

    @PreDestroy
    synchronized void close() {
        commands = null;
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private void open(String when) {
        try {
            commands();
        } catch (RuntimeException e) {
            LOG.warn("Redis not reachable {} ({}); the first request connects", when, e.toString());
        }
    }

    private void destroyAll(Class<?> type) {
        beans.getActiveBeanRegistrations(type).forEach(beans::destroyBean);
    }
}
