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
}
