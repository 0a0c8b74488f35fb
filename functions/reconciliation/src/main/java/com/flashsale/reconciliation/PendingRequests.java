package com.flashsale.reconciliation;

import com.flashsale.shared.db.Product;
import com.flashsale.shared.db.PurchaseRequest;
import com.flashsale.shared.event.FailureReason;
import com.flashsale.shared.event.OrderEvent;
import com.flashsale.shared.event.RequestStatus;
import com.flashsale.shared.redis.RequestState;
import com.flashsale.shared.redis.SaleGate;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Nothing stays PENDING: a request's Redis state must end as Postgres's decision.
 * <ul>
 *   <li>a decision Redis lost (a failover took the consumer's write back to PENDING) is written back
 *       from Postgres, so the buyer learns it before the payment window runs out;</li>
 *   <li>a request Redis accepted that Postgres has not decided long after, and that is no longer in the
 *       outbox (the MSK trigger gave up on its event, or Redis forgot the entry), is driven again: its
 *       event is rebuilt from its Redis state (the admission wrote every field of it there) and
 *       published; the consumer dedupes on the request id, so publishing twice is harmless.</li>
 * </ul>
 * Both read in chunks: Postgres's decisions through a cursor, the buyers hash by HSCAN.
 */
@Singleton
class PendingRequests {

    private static final Logger LOG = LoggerFactory.getLogger(PendingRequests.class);
    private static final String PENDING = RequestStatus.PENDING.name();

    private final RedisData redis;
    private final SaleQueries sales;
    private final SaleGate gate;
    private final OrderEventPublisher publisher;
    private final Lease lease;
    private final Duration redriveAfter;

    PendingRequests(RedisData redis, SaleQueries sales, SaleGate gate, OrderEventPublisher publisher, Lease lease,
                    ReconciliationSettings settings) {
        this.redis = redis;
        this.sales = sales;
        this.gate = gate;
        this.publisher = publisher;
        this.lease = lease;
        this.redriveAfter = settings.redriveUndecidedAfter();
    }

    /** Writes Postgres's decision over every state Redis shows PENDING for a decided request. */
    void writeBackDecisions(Product sale, long fence, Actions actions) {
        // only the lost ones are kept (rare); they are written once the read-only walk is over
        List<PurchaseRequest> lost = new ArrayList<>();
        sales.decided(sale.id(), decided -> {
            Map<String, String> statuses = redis.statuses(sale.id(), decided.stream().map(PurchaseRequest::requestId).toList());
            decided.stream().filter(row -> PENDING.equals(statuses.get(row.requestId()))).forEach(lost::add);
        });
        if (lost.isEmpty()) {
            return;
        }
        lease.verify(fence);
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (PurchaseRequest row : lost) {
            if (FailureReason.SOLD_OUT.name().equals(row.reason())) {
                // its retirement may be lost too: the user's slot is freed again (once), no stock moves
                writes.add(gate.retire(sale.id(), row.requestId(), row.userId(), row.quantity()).toCompletableFuture());
            }
            writes.add(gate.setRequestState(new RequestState(row.requestId(), row.productId(), row.userId(),
                    row.quantity(), row.status(), row.orderId(), row.reason())).toCompletableFuture());
        }
        RedisData.await(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));
        actions.add(Actions.STATES_WRITTEN_BACK, lost.size());
        LOG.warn("wrote back {} decisions of {} that Redis showed PENDING", lost.size(), sale.id());
    }

    /** Publishes again the events of requests accepted before {@code redisNow - redriveAfter} and still undecided. */
    void redriveUndecided(Product sale, long fence, Instant redisNow, Actions actions) {
        long acceptedBefore = redisNow.minus(redriveAfter).toEpochMilli();
        redis.scanBuyers(sale.id(), requestIds -> {
            List<String> undecided = sales.undecided(requestIds).stream().sorted().toList();
            if (undecided.isEmpty()) {
                return;
            }
            List<OrderEvent> events = new ArrayList<>();
            redis.states(sale.id(), undecided).forEach((requestId, state) -> {
                OrderEvent event = stale(requestId, state, acceptedBefore, actions);
                if (event != null) {
                    events.add(event);
                }
            });
            if (events.isEmpty()) {
                return;
            }
            lease.verify(fence);
            List<Boolean> acked = publisher.publish(events);
            long published = acked.stream().filter(Boolean::booleanValue).count();
            actions.add(Actions.REDRIVEN_UNDECIDED, published);
            actions.add(Actions.REDRIVE_FAILED, acked.size() - published);
            LOG.warn("published again {} events of {} accepted but undecided since before {}", published, sale.id(),
                    Instant.ofEpochMilli(acceptedBefore));
        });
    }

    /** The event of a request still PENDING since before {@code acceptedBefore}, rebuilt from its state; else null. */
    private static OrderEvent stale(String requestId, Map<String, String> state, long acceptedBefore, Actions actions) {
        if (!PENDING.equals(state.get("status"))) {
            if (state.isEmpty()) {
                actions.increment(Actions.UNDECIDED_WITHOUT_STATE); // nothing to rebuild its event from
            }
            return null;
        }
        try {
            if (Long.parseLong(state.get("acceptedAt")) >= acceptedBefore) {
                return null; // young: its event is probably still on its way
            }
            Map<String, String> fields = new HashMap<>(state);
            fields.put("requestId", requestId);
            return OrderEvent.fromOutbox(fields);
        } catch (RuntimeException e) {
            actions.increment(Actions.UNDECIDED_WITHOUT_STATE);
            LOG.error("cannot rebuild the event of the undecided request {} from its state {}", requestId, state);
            return null;
        }
    }
}
