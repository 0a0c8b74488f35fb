package com.flashsale.reconciliation;

import com.flashsale.shared.db.Jdbc;
import com.flashsale.shared.redis.Preload;
import com.flashsale.shared.redis.SaleGate;
import io.lettuce.core.StreamMessage;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps Redis and Postgres honest about one product:
 * <ul>
 *   <li>warm-up and rebuild: a sale starting soon, or open, whose keys are missing is loaded from
 *       Postgres with {@code available = total - active orders - requests still in flight}, so sold
 *       stock is never reopened, and the buyers hash is refilled from the active orders;</li>
 *   <li>audit: {@code redis stock + accepted-not-yet-persisted + active orders == total}; each
 *       difference is recorded with its size and likely cause. Redis stock is never "fixed" from
 *       Postgres (requests are in flight at any moment; the Postgres guard stops any oversell);
 *       what can be proven is repaired: stock of requests the consumer failed is released (once).</li>
 * </ul>
 */
@Singleton
class StockAudit {

    private static final Logger LOG = LoggerFactory.getLogger(StockAudit.class);

    private final RedisData redis;
    private final SaleGate gate;
    private final SaleRepository sales;
    private final RunLog log;
    private final Lease lease;
    private final Duration keyRetention;

    StockAudit(RedisData redis, SaleGate gate, SaleRepository sales, RunLog log, Lease lease,
               @Value("${flashsale.key-retention:7d}") Duration keyRetention) {
        this.redis = redis;
        this.gate = gate;
        this.sales = sales;
        this.log = log;
        this.lease = lease;
        this.keyRetention = keyRetention;
    }

    /** Loads a sale that is open or starts soon and is missing from Redis. */
    void ensureLoaded(Sale sale, long fence, long runId, Instant now, Actions actions) throws SQLException {
        if (!now.isBefore(sale.endsAt())) {
            return;
        }
        boolean stockLost = redis.stock(sale.id()) == null;
        if (!stockLost && redis.metaExists(sale.id())) {
            return;
        }
        Observation seen = observe(sale);
        long available = Math.max(0, sale.stockTotal() - seen.activeQuantity() - seen.inFlightQuantity());
        lease.verify(fence);
        Instant expireAt = sale.endsAt().plus(keyRetention);
        if (stockLost) {
            // before the stock exists again (a release meanwhile finds no stock and does nothing): the
            // rebuilt stock already includes what failed and cancelled requests gave back
            redis.markReleased(sale.id(), seen.books().settled(), expireAt);
        }
        Preload preload = RedisData.await(gate.preload(sale.card(), (int) available, expireAt));
        if (preload.outcome() == Preload.Outcome.CONFLICT) {
            log.record(fence, runId, new Discrepancy(sale.id(), "PRELOAD_CONFLICT", (long) sale.stockTotal(),
                    preload.stock(), null, "Redis holds another total or window for this product", "NONE"));
            actions.increment(Actions.DISCREPANCIES);
            return;
        }
        lease.fenced(fence, connection -> Jdbc.update(connection,
                "UPDATE product SET preloaded_at = coalesce(preloaded_at, now()) WHERE id = ?", sale.id()));
        Map<String, String> buyers = new HashMap<>();
        seen.books().activeOrders().forEach((user, order) -> buyers.put(user, order.requestId()));
        long refilled = redis.refillBuyers(sale.id(), buyers, expireAt);
        actions.add(Actions.BUYERS_REFILLED, refilled);
        if (sale.startsLater(now) && preload.outcome() == Preload.Outcome.LOADED && seen.activeQuantity() == 0) {
            actions.increment(Actions.WARMED);
            LOG.info("warmed {}: {} units", sale.id(), preload.stock());
            return;
        }
        actions.increment(Actions.REBUILT);
        log.record(fence, runId, new Discrepancy(sale.id(), "REDIS_KEYS_LOST", (long) sale.stockTotal(), null, null,
                "the product's Redis keys were missing during the sale (lost in a failover or flush, or never preloaded)",
                "REBUILT from Postgres: stock " + preload.stock() + " (total " + sale.stockTotal() + " - active orders "
                        + seen.activeQuantity() + " - in flight " + seen.inFlightQuantity() + "), " + refilled
                        + " buyers refilled"));
        actions.increment(Actions.DISCREPANCIES);
        LOG.warn("rebuilt the Redis keys of {}: stock {}", sale.id(), preload.stock());
    }

    void audit(Sale sale, long fence, long runId, Actions actions) throws SQLException {
        actions.add(Actions.STOCK_RELEASED, releaseFailed(sale, fence));
        Observation first = observe(sale);
        if (first.redisStock() == null) {
            return; // nothing in Redis to audit (a closed sale whose keys expired, or one never loaded)
        }
        Observation seen = first.delta() == 0 ? first : observe(sale); // read again: requests move between reads
        if (seen.redisStock() != null && seen.delta() != 0 && seen.delta() == first.delta()) {
            long delta = seen.delta();
            String cause = delta > 0
                    ? "Redis shows more stock than Postgres allows: acknowledged Redis writes lost (failover); "
                    + "the Postgres guard refuses the excess"
                    : "stock held in Redis by no known request: lost buyers/outbox/request states or a release "
                    + "still pending";
            log.record(fence, runId, new Discrepancy(sale.id(), "STOCK_INVARIANT", (long) sale.stockTotal(),
                    seen.total(), delta, cause,
                    "RECORDED: redis " + seen.redisStock() + " + in flight " + seen.inFlightQuantity()
                            + " + active orders " + seen.activeQuantity() + "; Redis is not overwritten from Postgres"));
            actions.increment(Actions.DISCREPANCIES);
        }
        long dbTotal = seen.books().stockLeft() + seen.activeQuantity();
        if (dbTotal != sale.stockTotal()) {
            log.record(fence, runId, new Discrepancy(sale.id(), "DB_STOCK", (long) sale.stockTotal(), dbTotal,
                    dbTotal - sale.stockTotal(), "stock_left + active orders differs from stock_total in Postgres",
                    "RECORDED"));
            actions.increment(Actions.DISCREPANCIES);
        }
    }

    /** Requests the consumer failed must have their Redis stock back; releasing again is a no-op. */
    private long releaseFailed(Sale sale, long fence) throws SQLException {
        List<SaleRepository.FailedRequest> failed = sales.failedRequests(sale.id());
        if (failed.isEmpty()) {
            return 0;
        }
        lease.verify(fence);
        List<CompletableFuture<Long>> releases = failed.stream()
                .map(f -> gate.release(sale.id(), f.requestId(), f.userId(), f.quantity()).toCompletableFuture())
                .toList();
        RedisData.await(CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new)));
        return releases.stream().filter(r -> r.join() == 1L).count();
    }

    /** Redis first, then Postgres: a request decided in between is counted once, as an order. */
    private Observation observe(Sale sale) throws SQLException {
        Long stock = redis.stock(sale.id());
        Map<String, String> buyers = redis.buyers(sale.id());
        List<StreamMessage<String, String>> outbox = redis.outbox(sale.id());
        Map<String, Integer> outboxQuantities = new HashMap<>();
        for (StreamMessage<String, String> entry : outbox) {
            String requestId = entry.getBody().get("requestId");
            String quantity = entry.getBody().get("quantity");
            if (requestId != null && quantity != null) {
                outboxQuantities.put(requestId, Integer.parseInt(quantity));
            }
        }
        Set<String> candidates = new LinkedHashSet<>(buyers.values());
        candidates.addAll(outboxQuantities.keySet());
        SaleRepository.Books books = sales.books(sale.id(), candidates);
        List<String> undecided = new ArrayList<>(candidates);
        undecided.removeAll(books.decided());
        List<String> unknownQuantity = undecided.stream().filter(id -> !outboxQuantities.containsKey(id)).toList();
        Map<String, Integer> quantities = new HashMap<>(redis.quantities(sale.id(), unknownQuantity));
        quantities.putAll(outboxQuantities);
        long inFlight = undecided.stream().mapToLong(id -> quantities.getOrDefault(id, 0)).sum();
        return new Observation(stock, inFlight, books, sale.stockTotal());
    }

    private record Observation(Long redisStock, long inFlightQuantity, SaleRepository.Books books, int stockTotal) {

        long activeQuantity() {
            return books.activeQuantity();
        }

        long total() {
            return (redisStock == null ? 0 : redisStock) + inFlightQuantity + activeQuantity();
        }

        long delta() {
            return total() - stockTotal;
        }
    }
}
