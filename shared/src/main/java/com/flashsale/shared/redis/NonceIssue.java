package com.flashsale.shared.redis;

import java.util.List;

/** Whether a purchase-token nonce was registered, on the Redis clock. */
public record NonceIssue(Outcome outcome, long serverTimeMs, long expiresAtMs, long startsAtMs) {

    public enum Outcome { ISSUED, NOT_FOUND, SALE_NOT_STARTED, SALE_ENDED, SOLD_OUT }

    static NonceIssue fromScript(List<Object> reply) {
        var r = new ScriptReply(reply);
        Outcome outcome = Outcome.valueOf(r.string(0));
        return switch (outcome) {
            case ISSUED -> new NonceIssue(outcome, r.number(1), r.number(2), 0);
            case SALE_NOT_STARTED -> new NonceIssue(outcome, r.number(2), 0, r.number(1));
            case SALE_ENDED -> new NonceIssue(outcome, r.number(2), 0, 0);
            case NOT_FOUND, SOLD_OUT -> new NonceIssue(outcome, 0, 0, 0);
        };
    }
}
