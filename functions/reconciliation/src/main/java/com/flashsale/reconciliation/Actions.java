package com.flashsale.reconciliation;

import java.util.Map;
import java.util.TreeMap;

/** Counts per action of one run (single-threaded). */
final class Actions {

    static final String PRODUCTS = "products";
    static final String REDRIVEN = "redriven";
    static final String REDRIVE_DROPPED = "redriveAlreadyDecided";
    static final String REDRIVE_FAILED = "redriveFailed";
    static final String REDRIVEN_UNDECIDED = "redrivenUndecided";
    static final String UNDECIDED_WITHOUT_STATE = "undecidedWithoutState";
    static final String STATES_WRITTEN_BACK = "statesWrittenBack";
    static final String CANCELLED = "cancelled";
    static final String STOCK_RELEASED = "stockReleased";
    static final String STOCK_RETIRED = "stockRetired";
    static final String WARMED = "warmed";
    static final String REBUILT = "rebuilt";
    static final String BUYERS_REFILLED = "buyersRefilled";
    static final String TRANSFERS_FINISHED = "transfersFinished";
    static final String DISCREPANCIES = "discrepancies";
    static final String ERRORS = "errors";
    static final String OUTBOX_AGE_SECONDS = "outboxAgeSeconds";

    private final Map<String, Long> counts = new TreeMap<>();

    void add(String action, long n) {
        counts.merge(action, n, Long::sum);
    }

    void max(String action, long n) {
        counts.merge(action, n, Math::max);
    }

    void increment(String action) {
        add(action, 1);
    }

    Map<String, Long> snapshot() {
        return new TreeMap<>(counts);
    }
}
