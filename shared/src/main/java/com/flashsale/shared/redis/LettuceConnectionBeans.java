package com.flashsale.shared.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.DisabledBeanException;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import jakarta.inject.Singleton;

/**
 * micronaut-redis-lettuce makes a connection and a pub/sub connection as singletons, and Lambda
 * starts Micronaut with every singleton eager: two connections opened one after the other on the
 * main thread of every cold start, one of them never used. Here the connection beans are
 * {@link RedisConnection}'s one connection, which opens on a thread of its own; they come last at an
 * eager start, so that it waits for the connection only when there is nothing else left to make
 * (Redis down at a cold start still fails it here, as the library's beans did). There is no pub/sub
 * connection.
 */
@Factory
class LettuceConnectionBeans {

    @Singleton
    @Order(Ordered.LOWEST_PRECEDENCE)
    @Replaces(StatefulRedisConnection.class)
    @Requires(missingProperty = "redis.uris")
    @SuppressWarnings("unchecked")
    StatefulRedisConnection<String, String> connection(RedisConnection redis) {
        return (StatefulRedisConnection<String, String>) redis.connection();
    }

    @Singleton
    @Order(Ordered.LOWEST_PRECEDENCE)
    @Replaces(StatefulRedisClusterConnection.class)
    @Requires(property = "redis.uris")
    @SuppressWarnings("unchecked")
    StatefulRedisClusterConnection<String, String> clusterConnection(RedisConnection redis) {
        return (StatefulRedisClusterConnection<String, String>) redis.connection();
    }

    @Singleton
    @Replaces(StatefulRedisPubSubConnection.class)
    StatefulRedisPubSubConnection<String, String> pubSubConnection() {
        throw new DisabledBeanException("the functions use no Redis pub/sub");
    }
}
