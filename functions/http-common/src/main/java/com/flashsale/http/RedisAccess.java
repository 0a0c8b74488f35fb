package com.flashsale.http;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The few plain Redis commands the HTTP functions need besides the scripts (reads, the clock, the
 * outbox delete), over the same connection as {@code SaleGate}: cluster when {@code redis.uris} is
 * set, standalone otherwise. The connection is opened on first use, so Redis being down is a 503
 * at request time, not a failed cold start.
 */
@Singleton
public class RedisAccess {

    private final BeanProvider<StatefulRedisClusterConnection<String, String>> cluster;
    private final BeanProvider<StatefulRedisConnection<String, String>> standalone;
    private volatile RedisClusterAsyncCommands<String, String> commands;

    public RedisAccess(BeanProvider<StatefulRedisClusterConnection<String, String>> cluster,
                       BeanProvider<StatefulRedisConnection<String, String>> standalone) {
        this.cluster = cluster;
        this.standalone = standalone;
    }

    private RedisClusterAsyncCommands<String, String> commands() {
        RedisClusterAsyncCommands<String, String> current = commands;
        if (current == null) {
            try {
                current = cluster.isPresent() ? cluster.get().async() : standalone.get().async();
            } catch (RuntimeException e) {
                throw ApiException.unavailable("Redis is unavailable; please retry");
            }
            commands = current;
        }
        return current;
    }

    public Map<String, String> hgetall(String key) {
        return Dependencies.await(commands().hgetall(key));
    }

    public String get(String key) {
        return Dependencies.await(commands().get(key));
    }

    /** Redis server TIME: the one clock every function shares. */
    public Instant time() {
        return toInstant(Dependencies.await(commands().time()));
    }

    /** A string key's value and Redis TIME, sent together (one round trip's wait). */
    public ValueAt getWithTime(String key) {
        var value = commands().get(key);
        var time = commands().time();
        return new ValueAt(Dependencies.await(value), toInstant(Dependencies.await(time)));
    }

    private static Instant toInstant(List<String> time) {
        return Instant.ofEpochSecond(Long.parseLong(time.get(0)), Long.parseLong(time.get(1)) * 1000);
    }

    /** A value (null when the key is absent) and the Redis clock when it was read. */
    public record ValueAt(String value, Instant serverTime) {
    }

    public CompletionStage<Long> xdel(String stream, String entryId) {
        return commands().xdel(stream, entryId);
    }
}
