package com.flashsale.shared.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The typed face of the sale's Lua scripts: every decision that must be atomic in Redis goes
 * through here, one script call each.
 */
public final class SaleGate {

    private final ScriptRunner scripts;
    private final long requestStateTtlSeconds;

    /**
     * @param requestStateTtl how long request states and idempotency records stay in Redis; the
     *                        result query falls back to Postgres after that
     */
    public SaleGate(ScriptRunner scripts, Duration requestStateTtl) {
        this.scripts = scripts;
        this.requestStateTtlSeconds = requestStateTtl.toSeconds();
    }

    /** The whole buy decision; see {@code admit_purchase.lua}. */
    public CompletionStage<Admission> admit(PurchaseAttempt attempt) {
        RedisKeys keys = RedisKeys.product(attempt.productId());
        boolean idempotent = attempt.idempotencyKey() != null;
        String[] keyNames = {
                keys.meta(), keys.stock(), keys.buyers(),
                keys.idempotency(attempt.userId(), idempotent ? attempt.idempotencyKey() : "-"),
                keys.nonce(attempt.nonce()), keys.request(attempt.requestId()), keys.outbox()};
        return scripts.run(LuaScript.ADMIT_PURCHASE, keyNames,
                        attempt.requestId(), attempt.userId(), attempt.productId(),
                        Integer.toString(attempt.quantity()), idempotent ? "1" : "0",
                        Long.toString(requestStateTtlSeconds))
                .thenApply(Admission::fromScript);
    }

    /**
     * The first request of the attempt's Idempotency-Key, if there was one: a DUPLICATE or an
     * IDEMPOTENCY_MISMATCH admission, as {@link #admit} would answer, but without the admission.
     */
    public CompletionStage<Optional<Admission>> findFirstRequest(PurchaseAttempt attempt) {
        String key = RedisKeys.product(attempt.productId()).idempotency(attempt.userId(), attempt.idempotencyKey());
        return scripts.run(LuaScript.FIND_FIRST_REQUEST, new String[] {key}, Integer.toString(attempt.quantity()))
                .thenApply(reply -> reply.isEmpty() ? Optional.empty() : Optional.of(Admission.fromScript(reply)));
    }

    /** Registers a one-time token nonce if the product can be bought now. */
    public CompletionStage<NonceIssue> issueNonce(String productId, String nonce, Duration tokenLifetime) {
        RedisKeys keys = RedisKeys.product(productId);
        return scripts.run(LuaScript.ISSUE_TOKEN_NONCE, new String[] {keys.meta(), keys.stock(), keys.nonce(nonce)},
                        Long.toString(tokenLifetime.toSeconds()))
                .thenApply(NonceIssue::fromScript);
    }

    /**
     * Gives a request's stock back exactly once and frees the user's slot.
     *
     * @return 1 if this call released it, 0 if an earlier call did, -1 if the product is not in Redis
     */
    public CompletionStage<Long> release(String productId, String requestId, String userId, int quantity) {
        return settle(productId, requestId, userId, quantity, true);
    }

    /**
     * Settles a request whose unit never existed (Postgres had no stock left for it): exactly once,
     * the user's slot is freed and the request marked settled, but its stock is NOT given back.
     *
     * @return 1 if this call settled it, 0 if an earlier call did, -1 if the product is not in Redis
     */
    public CompletionStage<Long> retire(String productId, String requestId, String userId, int quantity) {
        return settle(productId, requestId, userId, quantity, false);
    }

    private CompletionStage<Long> settle(String productId, String requestId, String userId, int quantity,
                                         boolean giveBack) {
        RedisKeys keys = RedisKeys.product(productId);
        return scripts.run(LuaScript.RELEASE_STOCK,
                        new String[] {keys.stock(), keys.released(), keys.buyers(), keys.meta()},
                        requestId, userId, Integer.toString(quantity), giveBack ? "1" : "0")
                .thenApply(reply -> new ScriptReply(reply).number(0));
    }

    /**
     * Takes units that never existed out of Redis stock, if the stock is still the one observed
     * (the reconciliation's repair after Redis lost writes; see {@code retire_stock.lua}).
     *
     * @return the stock after, or -1 if the stock moved since it was observed and nothing changed
     */
    public CompletionStage<Long> retireStock(String productId, long observedStock, long excess) {
        return scripts.run(LuaScript.RETIRE_STOCK, new String[] {RedisKeys.product(productId).stock()},
                        Long.toString(observedStock), Long.toString(excess))
                .thenApply(reply -> new ScriptReply(reply).number(0));
    }

    /**
     * Moves a request's state forward (PENDING to SUCCESS or FAILED), never backwards.
     *
     * @return true if the state changed
     */
    public CompletionStage<Boolean> setRequestState(RequestState state) {
        RedisKeys keys = RedisKeys.product(state.productId());
        return scripts.run(LuaScript.SET_REQUEST_STATE, new String[] {keys.request(state.requestId())},
                        state.status().name(), orEmpty(state.orderId()), orEmpty(state.reason()),
                        Long.toString(requestStateTtlSeconds),
                        state.userId(), state.productId(), Integer.toString(state.quantity()))
                .thenApply(reply -> new ScriptReply(reply).number(0) == 1);
    }

    /** Takes one call from the subject's bucket of this limit. */
    public CompletionStage<RateLimit.Decision> rateLimit(RateLimit limit, String subject) {
        return scripts.run(LuaScript.RATE_LIMIT, new String[] {RedisKeys.rateLimit(limit.scope(), subject)},
                        Double.toString(limit.perSecond()), Integer.toString(limit.capacity()), "1")
                .thenApply(reply -> {
                    var r = new ScriptReply(reply);
                    return new RateLimit.Decision(r.number(0) == 1, r.number(1), r.number(2));
                });
    }

    /**
     * Loads a product into Redis, unless it is already there.
     *
     * @param available the units not yet sold (the total, before the sale)
     * @param expireAt  when every key of the product may go
     */
    public CompletionStage<Preload> preload(ProductCard product, int available, Instant expireAt) {
        RedisKeys keys = RedisKeys.product(product.productId());
        return scripts.run(LuaScript.PRELOAD_PRODUCT, new String[] {keys.meta(), keys.stock()},
                        product.productId(), product.name(), Long.toString(product.priceCents()),
                        Integer.toString(product.stock()), Integer.toString(available),
                        Long.toString(product.startsAt().toEpochMilli()), Long.toString(product.endsAt().toEpochMilli()),
                        Integer.toString(product.limitPerUser()), Long.toString(expireAt.toEpochMilli()),
                        product.humanCheck().mode().wire(), Integer.toString(product.humanCheck().difficulty()))
                .thenApply(Preload::fromScript);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
