package com.flashsale.http;

import com.flashsale.shared.redis.RedisCommandsGuard;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every Redis command of an HTTP function under the Redis breaker ({@link DependencyBreakers}):
 * while it is open, a command is not sent at all and its future fails at once with
 * {@link CallNotPermittedException} (a 503 where it is awaited, {@link Dependencies}); otherwise
 * the command's outcome (a lost connection, or an answer) is recorded, and a command still unanswered
 * when the request stops waiting for it ({@link Dependencies#TIMEOUT}) counts as failed then: Lettuce
 * keeps the commands of a lost connection until it reconnects, without a timeout of its own.
 */
@Singleton
class RedisBreakerGuard implements RedisCommandsGuard {

    private final CircuitBreaker breaker;
    private final ScheduledThreadPoolExecutor deadlines;

    RedisBreakerGuard(DependencyBreakers breakers) {
        this.breaker = breakers.redis();
        deadlines = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = Executors.defaultThreadFactory().newThread(runnable);
            thread.setName("redis-breaker-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        deadlines.setRemoveOnCancelPolicy(true);
    }

    @PreDestroy
    void close() {
        deadlines.shutdownNow();
    }

    @Override
    @SuppressWarnings("unchecked")
    public RedisClusterAsyncCommands<String, String> guard(RedisClusterAsyncCommands<String, String> commands) {
        return (RedisClusterAsyncCommands<String, String>) Proxy.newProxyInstance(
                RedisClusterAsyncCommands.class.getClassLoader(), new Class<?>[] {RedisClusterAsyncCommands.class},
                new Guarded(commands));
    }

    private final class Guarded implements InvocationHandler {

        private final RedisClusterAsyncCommands<String, String> commands;

        Guarded(RedisClusterAsyncCommands<String, String> commands) {
            this.commands = commands;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (!RedisFuture.class.isAssignableFrom(method.getReturnType())) {
                return call(method, args);
            }
            if (!breaker.tryAcquirePermission()) {
                return new Refused<>(CallNotPermittedException.createCallNotPermittedException(breaker));
            }
            long start = System.nanoTime();
            RedisFuture<?> future;
            try {
                future = (RedisFuture<?>) call(method, args);
            } catch (RuntimeException e) {
                breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
                throw e;
            }
            AtomicBoolean recorded = new AtomicBoolean();
            ScheduledFuture<?> deadline = deadlines.schedule(() -> {
                if (recorded.compareAndSet(false, true)) {
                    breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, new TimeoutException("no answer from Redis"));
                }
            }, Dependencies.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            future.whenComplete((value, failure) -> {
                if (!recorded.compareAndSet(false, true)) {
                    return;
                }
                deadline.cancel(false);
                if (failure == null) {
                    breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                } else {
                    breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failure);
                }
            });
            return future;
        }

        private Object call(Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(commands, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    /** The future of a command the open breaker did not send. */
    private static final class Refused<T> extends CompletableFuture<T> implements RedisFuture<T> {

        private final String error;

        Refused(Throwable failure) {
            error = failure.getMessage();
            completeExceptionally(failure);
        }

        @Override
        public String getError() {
            return error;
        }

        @Override
        public boolean await(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
