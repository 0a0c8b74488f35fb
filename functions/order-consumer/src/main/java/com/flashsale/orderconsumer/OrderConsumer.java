package com.flashsale.orderconsumer;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One MSK batch: decode, decide and persist it in one Postgres transaction, then write the terminal
 * request states to Redis. Any failure (Postgres or Redis down) is thrown so that Lambda retries the
 * whole batch; every step is idempotent on request id, so the retry changes nothing already done.
 */
@Singleton
public class OrderConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(OrderConsumer.class);

    private final RecordDecoder decoder;
    private final OrderStore store;
    private final RedisOutcomes redis;

    OrderConsumer(RecordDecoder decoder, OrderStore store, RedisOutcomes redis) {
        this.decoder = decoder;
        this.store = store;
        this.redis = redis;
    }

    public BatchSummary consume(KafkaEvent event) {
        List<ConsumedRecord> records = decoder.decode(event);
        if (records.isEmpty()) {
            return new BatchSummary(0, 0, 0, 0, 0, 0);
        }
        StoredBatch stored;
        try {
            stored = store.store(records);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot store the batch of " + records.size() + " records; it will be retried", e);
        }
        List<RequestOutcome> outcomes = new ArrayList<>(stored.decided());
        outcomes.addAll(stored.alreadyProcessed());
        redis.publish(outcomes);

        int orders = (int) stored.decided().stream().filter(o -> !o.failed()).count();
        var summary = new BatchSummary(records.size(), orders, stored.decided().size() - orders,
                stored.alreadyProcessed().size(), stored.duplicates(), stored.deadLetters());
        LOG.info("batch consumed: {}", summary);
        if (summary.deadLetters() > 0) {
            LOG.warn("dead-lettered records: {}", records.stream().filter(r -> !r.valid()).toList());
        }
        return summary;
    }
}
