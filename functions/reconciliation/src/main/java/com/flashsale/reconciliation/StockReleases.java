package com.flashsale.reconciliation;

import com.flashsale.shared.db.Settled;
import com.flashsale.shared.redis.SaleGate;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Gives Redis the stock of settled requests (failed, or their order cancelled), a chunk at a time:
 * the releases of a chunk go out together and are awaited together. Each is exactly once (the
 * released set guards it), so releasing again is a no-op.
 */
@Singleton
class StockReleases {

    private final SaleGate gate;

    StockReleases(SaleGate gate) {
        this.gate = gate;
    }

    /** @return how many of these releases this call made (not an earlier one) */
    long release(List<Settled> settled) {
        List<CompletableFuture<Long>> releases = settled.stream()
                .map(s -> gate.release(s.productId(), s.requestId(), s.userId(), s.quantity()).toCompletableFuture())
                .toList();
        RedisData.await(CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new)));
        return releases.stream().filter(r -> r.join() == 1L).count();
    }
}
