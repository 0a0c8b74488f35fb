package com.flashsale.orderconsumer;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.flashsale.shared.event.FailureReason;
import com.flashsale.shared.event.RequestStatus;
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
            return BatchSummary.NONE;
        }
        StoredBatch stored;
        try {
            stored = store.store(records);
        } catch (RuntimeException e) {
            if (DatabaseRefusal.of(e).isEmpty()) {
                throw retried(records, e);
            }
            LOG.warn("the database refused the data of a batch of {} records; storing them one at a time", records.size());
            stored = storeOneByOne(records);
        }
        List<RequestOutcome> outcomes = new ArrayList<>(stored.decided());
        outcomes.addAll(stored.alreadyProcessed());
        redis.publish(outcomes);

        int orders = (int) stored.decided().stream().filter(o -> !o.failed()).count();
        var summary = new BatchSummary(records.size(), orders, stored.decided().size() - orders,
                stored.alreadyProcessed().size(), stored.duplicates(), stored.deadLetters());
        if (OrderConsumerPriming.active()) {
            return summary; // priming's batches are rolled back: nothing to tell
        }
        LOG.info("batch consumed: {}", summary);
        if (summary.deadLetters() > 0) {
            LOG.warn("dead-lettered records: {}", records.stream().filter(r -> !r.valid()).toList());
        }
        return summary;
    }

    /**
     * A record the database refuses would fail its batch on every retry and block its partition: each
     * record is stored alone, and one the database refuses is dead-lettered (its raw bytes kept) and
     * its request failed in Redis, where its unit goes back. A transient failure still fails the batch.
     */
    private StoredBatch storeOneByOne(List<ConsumedRecord> records) {
        List<RequestOutcome> decided = new ArrayList<>();
        List<RequestOutcome> alreadyProcessed = new ArrayList<>();
        int duplicates = 0;
        int deadLetters = 0;
        for (ConsumedRecord record : records) {
            StoredBatch one;
            try {
                one = store.store(List.of(record));
            } catch (RuntimeException e) {
                String state = DatabaseRefusal.of(e).orElseThrow(() -> retried(records, e));
                ConsumedRecord refused = record.poison("refused by the database (SQLSTATE " + state + "): "
                        + rootMessage(e));
                try {
                    store.deadLetter(refused);
                } catch (RuntimeException deadLetterFailed) {
                    throw retried(records, deadLetterFailed);
                }
                LOG.warn("dead-lettered a record the database refused: {}", refused);
                deadLetters++;
                if (record.identifiesRequest()) {
                    var event = record.event();
                    decided.add(new RequestOutcome(event.requestId(), event.productId(), event.userId(), event.quantity(),
                            RequestStatus.FAILED, null, FailureReason.INVALID_EVENT.name()));
                }
                continue;
            }
            decided.addAll(one.decided());
            alreadyProcessed.addAll(one.alreadyProcessed());
            duplicates += one.duplicates();
            deadLetters += one.deadLetters();
        }
        return new StoredBatch(decided, alreadyProcessed, duplicates, deadLetters);
    }

    private static IllegalStateException retried(List<ConsumedRecord> records, RuntimeException cause) {
        return new IllegalStateException("cannot store the batch of " + records.size() + " records; it will be retried",
                cause);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
