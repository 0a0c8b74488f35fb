package com.flashsale.shared.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The typed face of the sale's Lua scripts: every decision that must be atomic in Redis goes
 * through here, one script call each.
 */
public final class SaleGate {

    private final ScriptRunner scripts;
    private final StockShards shards;
    private final long requestStateTtlSeconds;

    /**
     * @param requestStateTtl how long request states and idempotency records stay in Redis; the
     *                        result query falls back to Postgres after that
     */
    public SaleGate(ScriptRunner scripts, Duration requestStateTtl) {
        this.scripts = scripts;
        this.shards = new StockShards(scripts);
        this.requestStateTtlSeconds = requestStateTtl.toSeconds();
    }

    /** The product's stock shards: their transfers, sums and routing. */
    public StockShards shards() {
        return shards;
    }

    /**
     * The whole buy decision, in the user's home shard (see {@link StockShards}); one call of
     * {@code admit_purchase.lua} when that shard has the units. An accepted admission's request id
     * names that shard: use it, not the attempt's.
     */
    public CompletionStage<Admission> admit(PurchaseAttempt attempt) {
        return shards.admit(attempt, this::admitOnShard);
    }

    /** One admission script call in the shard the attempt's request id names. */
    private CompletionStage<Admission> admitOnShard(PurchaseAttempt attempt) {
        RedisKeys keys = RedisKeys.ofRequest(attempt.productId(), attempt.requestId());
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
        return shards.home(attempt.productId(), attempt.userId()).thenCompose(home -> {
            String key = home.idempotency(attempt.userId(), attempt.idempotencyKey());
            return scripts.run(LuaScript.FIND_FIRST_REQUEST, new String[] {key}, Integer.toString(attempt.quantity()));
        }).thenApply(reply -> reply.isEmpty() ? Optional.empty() : Optional.of(Admission.fromScript(reply)));
    }

    /** Registers a one-time token nonce if the product can be bought now (a product of one shard). */
    public CompletionStage<NonceIssue> issueNonce(String productId, String nonce, Duration tokenLifetime) {
        return issueNonce(RedisKeys.product(productId), nonce, tokenLifetime, false);
    }

    /**
     * Registers a one-time token nonce in the user's home shard, where the admission looks for it, if
     * the product can be bought now: when that shard is empty, the other shards' units count.
     */
    public CompletionStage<NonceIssue> issueNonce(String productId, String userId, String nonce, Duration tokenLifetime) {
        return shards.shardCount(productId).thenCompose(count -> {
            RedisKeys home = RedisKeys.shard(productId, StockShards.homeShard(userId, count));
            return issueNonce(home, nonce, tokenLifetime, false).thenCompose(issue -> issue.outcome()
                    != NonceIssue.Outcome.SOLD_OUT || count == 1 ? CompletableFuture.completedFuture(issue)
                    : shards.unitsLeft(productId, count).thenCompose(left -> left > 0
                            ? issueNonce(home, nonce, tokenLifetime, true) : CompletableFuture.completedFuture(issue)));
        });
    }

    private CompletionStage<NonceIssue> issueNonce(RedisKeys keys, String nonce, Duration tokenLifetime,
                                                   boolean otherShardsHaveStock) {
        return scripts.run(LuaScript.ISSUE_TOKEN_NONCE, new String[] {keys.meta(), keys.stock(), keys.nonce(nonce)},
                        Long.toString(tokenLifetime.toSeconds()), otherShardsHaveStock ? "1" : "0")
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
        RedisKeys keys = RedisKeys.ofRequest(productId, requestId); // back to the request's own shard
        return scripts.run(LuaScript.RELEASE_STOCK,
                        new String[] {keys.stock(), keys.released(), keys.buyers(), keys.meta()},
                        requestId, userId, Integer.toString(quantity), giveBack ? "1" : "0")
                .thenApply(reply -> new ScriptReply(reply).number(0));
    }

    /**
     * Takes units that never existed out of Redis stock, if the stock is still the one observed
     * (the reconciliation's repair after Redis lost writes; see {@code retire_stock.lua}). Shard 0's
     * stock: a product of several shards is repaired shard by shard with {@link #retireStock(RedisKeys, long, long)}.
     *
     * @return the stock after, or -1 if the stock moved since it was observed and nothing changed
     */
    public CompletionStage<Long> retireStock(String productId, long observedStock, long excess) {
        return retireStock(RedisKeys.product(productId), observedStock, excess);
    }

    /** {@link #retireStock(String, long, long)} in one shard. */
    public CompletionStage<Long> retireStock(RedisKeys shard, long observedStock, long excess) {
        return scripts.run(LuaScript.RETIRE_STOCK, new String[] {shard.stock()},
                        Long.toString(observedStock), Long.toString(excess))
                .thenApply(reply -> new ScriptReply(reply).number(0));
    }

    /**
     * Moves a request's state forward (PENDING to SUCCESS or FAILED), never backwards.
     *
     * @return true if the state changed
     */
    public CompletionStage<Boolean> setRequestState(RequestState state) {
        RedisKeys keys = RedisKeys.ofRequest(state.productId(), state.requestId());
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
     * Loads a product into Redis, unless it is already there: each of its stock shards gets its own
     * meta and an even share of the available units (a shard already there keeps its keys).
     *
     * @param available the units not yet sold (the total, before the sale)
     * @param expireAt  when every key of the product may go
     * @return the outcome of shard 0 (CONFLICT if any shard conflicts) with the stock of all shards
     */
    public CompletionStage<Preload> preload(ProductCard product, int available, Instant expireAt) {
        List<CompletableFuture<Preload>> loads = new ArrayList<>();
        for (int k = 0; k < product.shards(); k++) {
            loads.add(preloadShard(product, k, StockShards.share(available, product.shards(), k), expireAt)
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Preload> each = loads.stream().map(CompletableFuture::join).toList();
            return each.stream().filter(p -> p.outcome() == Preload.Outcome.CONFLICT).findFirst()
                    .orElse(new Preload(each.get(0).outcome(), each.stream().mapToLong(Preload::stock).sum()));
        });
    }

    private CompletionStage<Preload> preloadShard(ProductCard product, int shard, int available, Instant expireAt) {
        RedisKeys keys = RedisKeys.shard(product.productId(), shard);
        return scripts.run(LuaScript.PRELOAD_PRODUCT, new String[] {keys.meta(), keys.stock()},
                        product.productId(), product.name(), Long.toString(product.priceCents()),
                        Integer.toString(product.stock()), Integer.toString(available),
                        Long.toString(product.startsAt().toEpochMilli()), Long.toString(product.endsAt().toEpochMilli()),
                        Integer.toString(product.limitPerUser()), Long.toString(expireAt.toEpochMilli()),
                        Integer.toString(product.shards()))
                .thenApply(Preload::fromScript);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
