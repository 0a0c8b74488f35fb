package com.flashsale.orderconsumer;

import java.util.List;

/**
 * What one committed batch transaction decided.
 *
 * @param decided          outcomes decided by this transaction
 * @param alreadyProcessed outcomes found from an earlier delivery
 */
record StoredBatch(List<RequestOutcome> decided, List<RequestOutcome> alreadyProcessed, int duplicates,
                   int deadLetters) {
}
