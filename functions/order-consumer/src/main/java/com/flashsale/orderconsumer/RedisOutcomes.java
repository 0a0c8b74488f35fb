package com.flashsale.orderconsumer;

import com.flashsale.shared.event.FailureReason;
import com.flashsale.shared.redis.SaleGate;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * After the batch committed: tells Redis what Postgres decided. A failed request is first settled
 * (exactly once, the released set guards it): its stock back, or retired when Postgres had none
 * for it; then its FAILED state; a successful one its
 * SUCCESS state with the order id. Every call is idempotent, so a retried batch re-writes them safely.
 * All calls go out at once (Lettuce pipelines them) and are awaited: a failure fails the invocation.
 */
@Singleton
class RedisOutcomes {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final SaleGate gate;

    RedisOutcomes(SaleGate gate) {
        this.gate = gate;
    }

    /**
     * A unit Postgres had no stock for never existed (Redis held one too many after losing writes):
     * it is retired, else it would admit buyer after buyer whom Postgres refuses. Any other failure's
     * unit exists and goes back.
     */
    private CompletionStage<Long> settle(RequestOutcome failed) {
        return FailureReason.SOLD_OUT.name().equals(failed.reason())
                ? gate.retire(failed.productId(), failed.requestId(), failed.userId(), failed.quantity())
                : gate.release(failed.productId(), failed.requestId(), failed.userId(), failed.quantity());
    }

    void publish(List<RequestOutcome> outcomes) {
        CompletableFuture<?>[] calls = outcomes.stream()
                .map(outcome -> outcome.failed()
                        ? settle(outcome).thenCompose(settled -> gate.setRequestState(outcome.toState()))
                        : gate.setRequestState(outcome.toState()))
                .map(stage -> stage.toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(calls).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing request states to Redis", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write request states to Redis", e);
        }
    }
}
