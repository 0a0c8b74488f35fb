package com.flashsale.reconciliation;

/** One recorded difference between what should hold and what was found. */
record Discrepancy(String productId, String kind, Long expected, Long actual, Long delta, String cause, String action) {
}
