package com.flashsale.token.human;

import com.flashsale.http.ApiException;
import com.flashsale.http.Dependencies;
import com.flashsale.shared.redis.RedisConnection;
import com.flashsale.shared.redis.RedisKeys;
import io.lettuce.core.SetArgs;
import jakarta.inject.Singleton;

/**
 * Each ALTCHA solution is usable once: its challenge's signature is marked spent with SET NX, in a
 * slot of its own ({@link RedisKeys#altchaSpent}), for as long as the challenge could still be used.
 */
@Singleton
public class SpentProofs {

    private final RedisConnection redis;

    public SpentProofs(RedisConnection redis) {
        this.redis = redis;
    }

    /** True the first time for this signature; false when it was spent before. Redis down: 503. */
    public boolean spend(String signature, long remainingMillis) {
        var commands = commands();
        String reply = Dependencies.await(commands.set(RedisKeys.altchaSpent(signature), "1",
                SetArgs.Builder.nx().px(Math.max(1, remainingMillis))));
        return "OK".equals(reply);
    }

    private io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands<String, String> commands() {
        try {
            return redis.commands();
        } catch (RuntimeException e) {
            throw ApiException.unavailable("Redis is unavailable; please retry");
        }
    }
}
