package com.flashsale.shared.redis;

import java.util.List;

/**
 * What the admission script decided for one buy request.
 *
 * @param retryAfterMs for RATE_LIMITED: how long until the emptied bucket holds a call again
 */
public record Admission(Outcome outcome, String requestId, long stockLeft, long acceptedAtMs, String outboxEntryId,
                        long startsAtMs, long serverTimeMs, int limitPerUser, long retryAfterMs) {

    public enum Outcome {
        ACCEPTED, DUPLICATE, IDEMPOTENCY_MISMATCH, NOT_FOUND, RATE_LIMITED, SALE_NOT_STARTED, SALE_ENDED,
        SALE_PAUSED, QUANTITY_OVER_LIMIT, INVALID_TOKEN, ALREADY_PURCHASED, SOLD_OUT
    }

    static Admission fromScript(List<Object> reply) {
        var r = new ScriptReply(reply);
        Outcome outcome = Outcome.valueOf(r.string(0));
        return switch (outcome) {
            case ACCEPTED -> new Admission(outcome, r.string(1), r.number(2), r.number(3), r.string(4), 0, r.number(3), 0, 0);
            case DUPLICATE, IDEMPOTENCY_MISMATCH, ALREADY_PURCHASED ->
                    new Admission(outcome, r.string(1), 0, 0, null, 0, 0, 0, 0);
            case RATE_LIMITED -> new Admission(outcome, null, 0, 0, null, 0, 0, 0, r.number(1));
            case SALE_NOT_STARTED -> new Admission(outcome, null, 0, 0, null, r.number(1), r.number(2), 0, 0);
            case SALE_ENDED -> new Admission(outcome, null, 0, 0, null, 0, r.number(2), 0, 0);
            case QUANTITY_OVER_LIMIT -> new Admission(outcome, null, 0, 0, null, 0, 0, (int) r.number(1), 0);
            case SOLD_OUT -> new Admission(outcome, null, r.number(1), 0, null, 0, 0, 0, 0);
            case NOT_FOUND, INVALID_TOKEN, SALE_PAUSED -> new Admission(outcome, null, 0, 0, null, 0, 0, 0, 0);
        };
    }

    /** The caller now owns a new accepted request whose event must reach Kafka. */
    public boolean accepted() {
        return outcome == Outcome.ACCEPTED;
    }

    /** For RATE_LIMITED, the decision as the other rate limits give it ({@code Retry-After}). */
    public RateLimit.Decision rateLimit() {
        return new RateLimit.Decision(false, 0, retryAfterMs);
    }
}
