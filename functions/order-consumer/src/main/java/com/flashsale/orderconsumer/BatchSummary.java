package com.flashsale.orderconsumer;

import io.micronaut.serde.annotation.Serdeable;

/**
 * What one invocation did, returned to Lambda and logged.
 *
 * @param records          records in the batch
 * @param orders           orders created by this invocation
 * @param failed           requests decided FAILED by this invocation (sold out, already purchased, invalid)
 * @param alreadyProcessed records whose request had been decided before (redelivery); their Redis state was re-written
 * @param duplicates       records repeating a request id seen earlier in the same batch
 * @param deadLetters      records stored in the dead-letter table
 */
@Serdeable
public record BatchSummary(int records, int orders, int failed, int alreadyProcessed, int duplicates, int deadLetters) {

    /** An empty batch's. */
    static final BatchSummary NONE = new BatchSummary(0, 0, 0, 0, 0, 0);

    /** Both batches' counts added up. */
    BatchSummary plus(BatchSummary other) {
        return new BatchSummary(records + other.records, orders + other.orders, failed + other.failed,
                alreadyProcessed + other.alreadyProcessed, duplicates + other.duplicates, deadLetters + other.deadLetters);
    }
}
