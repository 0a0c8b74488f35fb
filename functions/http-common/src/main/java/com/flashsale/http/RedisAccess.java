package com.flashsale.http;

import com.flashsale.shared.redis.RedisConnection;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The few plain Redis commands the HTTP functions need besides the scripts (reads, the clock, the
 * outbox delete), over the same connection as {@code SaleGate}: cluster when {@code redis.uris} is
 * set, standalone otherwise ({@link RedisConnection}, which also closes it for a SnapStart
 * checkpoint). The connection is opened on first use, so Redis being down is a 503 at request
 * time, not a failed cold start.
 */
@Singleton
public class RedisAccess {

    private final RedisConnection connection;

    public RedisAccess(RedisConnection connection) {
        this.connection = connection;
    }

    private RedisClusterAsyncCommands<String, String> commands() {
        try {
            return connection.commands();
        } catch (RuntimeException e) {
            throw ApiException.unavailable("Redis is unavailable; please retry");
        }
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

    private static Instant toInstant(List<String> time) {
        return Instant.ofEpochSecond(Long.parseLong(time.get(0)), Long.parseLong(time.get(1)) * 1000);
    }

    /** SET with an expiry, not awaited: for a marker whose loss costs one more read, never a wrong answer. */
    public CompletionStage<String> setExpiring(String key, String value, Duration ttl) {
        if (Priming.active()) {
            return CompletableFuture.completedFuture("OK"); // priming writes nothing (a marker is only a saving)
        }
        return commands().set(key, value, SetArgs.Builder.px(ttl.toMillis()));
    }

    /** DEL, awaited. */
    public long delete(String key) {
        return Dependencies.await(commands().del(key));
    }

    /** DEL of keys, awaited: one command, split by slot on a cluster (Lettuce's cross-slot DEL). */
    public long delete(List<String> keys) {
        return Dependencies.await(commands().del(keys.toArray(String[]::new)));
    }

    public CompletionStage<Long> xdel(String stream, String entryId) {
        return commands().xdel(stream, entryId);
    }
}
