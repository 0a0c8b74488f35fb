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

    OutboxRedrive(RedisData redis, SaleQueries sales, OrderEventPublisher publisher, Lease lease,
                  ReconciliationSettings settings) {
        this.redis = redis;
        this.sales = sales;
        this.publisher = publisher;
        this.lease = lease;
        this.threshold = settings.redriveAfter();
    }

    void redrive(Product sale, long fence, Instant redisNow, Actions actions) {
        List<StreamMessage<String, String>> stale = redis.outbox(sale.id(), redisNow.minus(threshold));
        if (stale.isEmpty()) {
            return;
        }
        // stream ids are <milliseconds>-<sequence>: the oldest entry's age, for the outbox age alarm
        long oldest = stale.stream().mapToLong(e -> Long.parseLong(e.getId().substring(0, e.getId().indexOf('-')))).min().orElseThrow();
        actions.max(Actions.OUTBOX_AGE_SECONDS, Math.max(0, (redisNow.toEpochMilli() - oldest) / 1000));
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
        redis.deleteFromOutbox(sale.id(), done);
    }
}
