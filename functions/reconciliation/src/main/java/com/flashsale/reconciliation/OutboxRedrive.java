package com.flashsale.reconciliation;

import com.flashsale.shared.db.Product;
import com.flashsale.shared.event.OrderEvent;
import io.lettuce.core.StreamMessage;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Outbox entries older than the threshold were accepted by Redis but never confirmed by Kafka (the
 * buy function died, or its publish outcome was unknown): publish them again, then delete them.
 * An entry whose request Postgres has already decided is only deleted. The consumer dedupes by
 * request id, so publishing twice is harmless; giving the stock back instead would be an oversell.
 */
@Singleton
class OutboxRedrive {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRedrive.class);

    private final RedisData redis;
    private final SaleQueries sales;
    private final OrderEventPublisher publisher;
    private final Lease lease;
    private final Duration threshold;
    private final int pageSize;

    OutboxRedrive(RedisData redis, SaleQueries sales, OrderEventPublisher publisher, Lease lease,
                  ReconciliationSettings settings) {
        this.redis = redis;
        this.sales = sales;
        this.publisher = publisher;
        this.lease = lease;
        this.threshold = settings.redriveAfter();
        this.pageSize = settings.outboxPage();
    }

    void redrive(Product sale, long fence, Instant redisNow, Actions actions) {
        redis.walkOutbox(sale.id(), redisNow.minus(threshold), pageSize, stale -> redrive(sale, fence, redisNow, stale, actions));
    }

    /** One page of stale entries: published again, or only deleted when Postgres already decided them. */
    private void redrive(Product sale, long fence, Instant redisNow, List<StreamMessage<String, String>> stale,
                         Actions actions) {
        // stream ids are <milliseconds>-<sequence>, oldest first: the oldest entry's age, for the outbox age alarm
        String oldest = stale.get(0).getId();
        actions.max(Actions.OUTBOX_AGE_SECONDS,
                Math.max(0, (redisNow.toEpochMilli() - Long.parseLong(oldest.substring(0, oldest.indexOf('-')))) / 1000));
        Map<String, OrderEvent> byEntry = new LinkedHashMap<>();
        for (StreamMessage<String, String> entry : stale) {
            try {
                byEntry.put(entry.getId(), OrderEvent.fromOutbox(entry.getBody()));
            } catch (RuntimeException e) {
                LOG.error("unreadable outbox entry {} of {}: {}", entry.getId(), sale.id(), entry.getBody());
                actions.increment(Actions.ERRORS);
            }
        }
        Set<String> undecided = sales.undecided(byEntry.values().stream().map(OrderEvent::requestId).toList());
        List<String> done = new ArrayList<>();
        List<String> toPublishIds = new ArrayList<>();
        List<OrderEvent> toPublish = new ArrayList<>();
        byEntry.forEach((entryId, event) -> {
            if (!undecided.contains(event.requestId())) {
                done.add(entryId);
                actions.increment(Actions.REDRIVE_DROPPED);
            } else {
                toPublishIds.add(entryId);
                toPublish.add(event);
            }
        });
        lease.verify(fence);
        if (!toPublish.isEmpty()) {
            List<Boolean> acked = publisher.publish(toPublish);
            for (int i = 0; i < acked.size(); i++) {
                if (acked.get(i)) {
                    done.add(toPublishIds.get(i));
                    actions.increment(Actions.REDRIVEN);
                } else {
                    actions.increment(Actions.REDRIVE_FAILED);
                }
            }
        }
        Map<String, String> doneRequests = new LinkedHashMap<>();
        done.forEach(entryId -> doneRequests.put(entryId, byEntry.get(entryId).requestId()));
        redis.deleteFromOutbox(sale.id(), doneRequests);
    }
}
