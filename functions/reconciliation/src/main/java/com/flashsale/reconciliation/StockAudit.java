package com.flashsale.reconciliation;

import com.flashsale.shared.db.Product;
import com.flashsale.shared.db.ProductRepository;
import com.flashsale.shared.redis.Preload;
import com.flashsale.shared.redis.SaleGate;
import io.lettuce.core.StreamMessage;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps Redis and Postgres honest about one product:
 * <ul>
 *   <li>warm-up and rebuild: a sale starting soon, or open, whose keys are missing is loaded from
 *       Postgres with {@code available = total - active orders - requests still in flight}, so sold
 *       stock is never reopened, and the buyers hash is refilled from the active orders;</li>
 *   <li>audit: {@code redis stock + accepted-not-yet-persisted + active orders == total}; each
 *       difference is recorded with its size and likely cause. Redis stock is not "fixed" from
 *       Postgres while requests are in flight (the Postgres guard stops any oversell meanwhile);
 *       what can be proven is repaired: stock of requests the consumer failed is released (once),
 *       and stock that Redis holds beyond what Postgres allows, with nothing in flight, is retired.</li>
 * </ul>
 */
@Singleton
class StockAudit {

    private static final Logger LOG = LoggerFactory.getLogger(StockAudit.class);

    private final RedisData redis;
    private final SaleGate gate;
    private final StockReleases releases;
    private final SaleQueries sales;
    private final ProductRepository products;
    private final RunLog log;
    private final Lease lease;
    private final Duration keyRetention;
    private final int outboxPage;

    StockAudit(RedisData redis, SaleGate gate, StockReleases releases, SaleQueries sales, ProductRepository products,
               RunLog log, Lease lease, KeyRetention keyRetention, ReconciliationSettings settings) {
        this.redis = redis;
        this.gate = gate;
        this.releases = releases;
        this.sales = sales;
        this.products = products;
        this.log = log;
        this.lease = lease;
        this.keyRetention = keyRetention.keyRetention();
        this.outboxPage = settings.outboxPage();
    }

    /** Loads a sale that is open or starts soon and is missing from Redis. */
    void ensureLoaded(Product sale, long fence, long runId, Instant now, Actions actions) {
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
            sales.settled(sale.id(), requestIds -> redis.markReleased(sale.id(), requestIds, expireAt));
        }
        Preload preload = RedisData.await(gate.preload(sale.card(), (int) available, expireAt,
                products.countPaused(sale.id()) > 0));
        if (preload.outcome() == Preload.Outcome.CONFLICT) {
            log.record(fence, runId, new Discrepancy(sale.id(), "PRELOAD_CONFLICT", (long) sale.stockTotal(),
                    preload.stock(), null, "Redis holds another total or window for this product", "NONE"));
            actions.increment(Actions.DISCREPANCIES);
            return;
        }
        lease.fenced(fence, () -> products.markPreloaded(sale.id()));
        // one chunk's writes in flight while the next chunk is read: two chunks in memory at most
        long[] refilled = {0};
        List<CompletableFuture<Long>> inFlight = new ArrayList<>(List.of(CompletableFuture.completedFuture(0L)));
        sales.activeBuyers(sale.id(), buyers -> {
            inFlight.add(redis.refillBuyers(sale.id(), buyers, expireAt));
            refilled[0] += RedisData.await(inFlight.remove(0));
        });
        refilled[0] += RedisData.await(inFlight.remove(0));
        actions.add(Actions.BUYERS_REFILLED, refilled[0]);
        if (now.isBefore(sale.startsAt()) && preload.outcome() == Preload.Outcome.LOADED && seen.activeQuantity() == 0) {
            actions.increment(Actions.WARMED);
            LOG.info("warmed {}: {} units", sale.id(), preload.stock());
            return;
        }
        actions.increment(Actions.REBUILT);
        log.record(fence, runId, new Discrepancy(sale.id(), "REDIS_KEYS_LOST", (long) sale.stockTotal(), null, null,
                "the product's Redis keys were missing during the sale (lost in a failover or flush, or never preloaded)",
                "REBUILT from Postgres: stock " + preload.stock() + " (total " + sale.stockTotal() + " - active orders "
                        + seen.activeQuantity() + " - in flight " + seen.inFlightQuantity() + "), " + refilled[0]
                        + " buyers refilled"));
        actions.increment(Actions.DISCREPANCIES);
        LOG.warn("rebuilt the Redis keys of {}: stock {}", sale.id(), preload.stock());
    }

    void audit(Product sale, long fence, long runId, Actions actions) {
        actions.add(Actions.STOCK_RELEASED, releaseFailed(sale, fence));
        Observation first = observe(sale);
        if (first.redisStock() == null) {
            return; // nothing in Redis to audit (a closed sale whose keys expired, or one never loaded)
        }
        // read again unless the books balanced while Redis stood still: requests move between reads
        Observation seen = first.steady() && first.delta() == 0 ? first : observe(sale);
        if (first.steady() && seen.steady() && seen.redisStock() != null && seen.delta() != 0
                && seen.delta() == first.delta()) {
            long delta = seen.delta();
            String cause = delta > 0
                    ? "Redis shows more stock than Postgres allows: acknowledged Redis writes lost (failover); "
                    + "the Postgres guard refuses the excess"
                    : "stock held in Redis by no known request: lost buyers/outbox/request states or a release "
                    + "still pending";
            String books = "redis " + seen.redisStock() + " + in flight " + seen.inFlightQuantity() + " + active orders "
                    + seen.activeQuantity();
            log.record(fence, runId, new Discrepancy(sale.id(), "STOCK_INVARIANT", (long) sale.stockTotal(),
                    seen.total(), delta, cause, retireExcess(sale, fence, first, seen, actions)
                    ? "REPAIRED: " + books + "; " + delta + " units that never existed taken out of Redis"
                    : "RECORDED: " + books + "; Redis is not overwritten from Postgres"));
            actions.increment(Actions.DISCREPANCIES);
        }
        long dbTotal = seen.totals().stockLeft() + seen.activeQuantity();
        if (dbTotal != sale.stockTotal()) {
            log.record(fence, runId, new Discrepancy(sale.id(), "DB_STOCK", (long) sale.stockTotal(), dbTotal,
                    dbTotal - sale.stockTotal(), "stock_left + active orders differs from stock_total in Postgres",
                    "RECORDED"));
            actions.increment(Actions.DISCREPANCIES);
        }
    }

    /**
     * Takes the excess out of Redis when it is proven: two observations found the same excess, Redis
     * stock stood still through both and no request was in flight, so nothing unseen can account for
     * it (anything unseen only hides excess: a request Redis forgot is in neither count). Left alone,
     * each such unit admits buyer after buyer whom Postgres refuses. Redis is never raised from
     * Postgres: a shortfall may be a release still on its way.
     */
    private boolean retireExcess(Product sale, long fence, Observation first, Observation seen, Actions actions) {
        if (seen.delta() <= 0 || first.inFlightQuantity() != 0 || seen.inFlightQuantity() != 0) {
            return false;
        }
        lease.verify(fence);
        boolean retired = RedisData.await(gate.retireStock(sale.id(), seen.redisStock(), seen.delta())) >= 0;
        if (retired) {
            actions.add(Actions.STOCK_RETIRED, seen.delta());
            LOG.warn("took {} units that never existed out of the Redis stock of {}", seen.delta(), sale.id());
        }
        return retired;
    }

    /** Requests the consumer failed must have their Redis stock back; releasing again is a no-op. */
    private long releaseFailed(Product sale, long fence) {
        lease.verify(fence);
        long[] released = {0};
        sales.failedRequests(sale.id(), failed -> released[0] += releases.release(failed));
        return released[0];
    }

    /**
     * Redis first, then Postgres in one snapshot: a request decided in between is counted once, as an
     * order; one decided after the snapshot is counted once, in flight. The buyers hash is walked in
     * chunks and only its requests that Postgres has not decided come back, with their quantities:
     * memory and Postgres work grow with what is in flight, not with the sale. Redis stock read again
     * at the end tells whether Redis moved meanwhile (an admission or a release): such an observation
     * is not steady and never proves a discrepancy.
     */
    private Observation observe(Product sale) {
        Long stock = redis.stock(sale.id());
        Map<String, Integer> outbox = new HashMap<>();
        redis.walkOutbox(sale.id(), null, outboxPage, page -> {
            for (StreamMessage<String, String> entry : page) {
                String requestId = entry.getBody().get("requestId");
                String quantity = entry.getBody().get("quantity");
                if (requestId != null && quantity != null) {
                    outbox.put(requestId, Integer.parseInt(quantity));
                }
            }
        });
        return sales.inSnapshot(() -> {
            Set<String> undecided = sales.undecided(outbox.keySet());
            // sorted: the probes then walk the primary key in order, not all over it
            redis.scanBuyers(sale.id(), requestIds -> undecided.addAll(sales.undecided(
                    requestIds.stream().filter(id -> !outbox.containsKey(id) && !undecided.contains(id)).sorted()
                            .toList())));
            ProductRepository.Totals totals = sales.totals(sale.id());
            List<String> unknownQuantity = undecided.stream().filter(id -> !outbox.containsKey(id)).toList();
            Map<String, Integer> quantities = new HashMap<>(redis.quantities(sale.id(), unknownQuantity));
            quantities.putAll(outbox);
            long inFlight = undecided.stream().mapToLong(id -> quantities.getOrDefault(id, 0)).sum();
            boolean steady = Objects.equals(stock, redis.stock(sale.id()));
            return new Observation(stock, steady, inFlight, totals, sale.stockTotal());
        });
    }

    /** @param steady whether Redis stock was the same at the start and at the end of the observation */
    private record Observation(Long redisStock, boolean steady, long inFlightQuantity, ProductRepository.Totals totals,
                               int stockTotal) {

        long activeQuantity() {
            return totals.activeQuantity();
        }

        long total() {
            return (redisStock == null ? 0 : redisStock) + inFlightQuantity + activeQuantity();
        }

        long delta() {
            return total() - stockTotal;
        }
    }
}
