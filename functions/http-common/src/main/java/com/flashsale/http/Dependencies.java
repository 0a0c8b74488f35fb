package com.flashsale.http;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a call to Redis (or another dependency); a failure or a timeout is 503 UNAVAILABLE. */
public final class Dependencies {

    /** How long a request waits for a dependency's answer. */
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private Dependencies() {
    }

    public static <T> T await(CompletionStage<T> call) {
        try {
            return call.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw ApiException.unavailable("a dependency is unavailable; please retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted");
        }
    }
}
