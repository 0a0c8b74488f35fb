package com.flashsale.shared.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * Stands between a function and its Redis connection: the HTTP functions' circuit breaker
 * (functions/http-common), which answers at once while Redis is known to be down instead of
 * letting each command wait for its timeout. Functions without one talk to Redis directly.
 */
public interface RedisCommandsGuard {

    /** The commands to hand out in place of {@code commands}, which a fresh connection gave. */
    RedisClusterAsyncCommands<String, String> guard(RedisClusterAsyncCommands<String, String> commands);
}
