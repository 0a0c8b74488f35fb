package com.flashsale.shared.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Runs scripts by EVALSHA with the SHA1 computed client-side. When the server has lost its script
 * cache (restart, failover, SCRIPT FLUSH) it answers NOSCRIPT; the call is then retried once with
 * EVAL, which also caches the script again on that node. Works on standalone and cluster
 * connections alike: both route a script call by its first key.
 */
public final class ScriptRunner {

    private final Supplier<? extends RedisScriptingAsyncCommands<String, String>> connection;

    public ScriptRunner(RedisScriptingAsyncCommands<String, String> redis) {
        this(() -> redis);
    }

    /** Over a connection that may be replaced (closed before a SnapStart checkpoint, see RedisConnection). */
    public ScriptRunner(Supplier<? extends RedisScriptingAsyncCommands<String, String>> connection) {
        this.connection = connection;
    }

    public CompletionStage<List<Object>> run(LuaScript script, String[] keys, String... args) {
        RedisScriptingAsyncCommands<String, String> redis;
        try {
            redis = connection.get();
        } catch (RuntimeException e) {
            // Redis unreachable when (re)connecting: a failed call like any other
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<List<Object>> first =
                redis.<List<Object>>evalsha(script.sha1(), ScriptOutputType.MULTI, keys, args).toCompletableFuture();
        return first.exceptionallyCompose(failure -> {
            if (unwrap(failure) instanceof RedisNoScriptException) {
                return redis.<List<Object>>eval(script.body(), ScriptOutputType.MULTI, keys, args);
            }
            return CompletableFuture.failedFuture(unwrap(failure));
        });
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
