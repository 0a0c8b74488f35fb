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

    /** A spent nonce is remembered this long past its token's expiry: containers' clocks differ a little. */
    private static final Duration SPENT_NONCE_GRACE = Duration.ofMinutes(5);

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

    /** The whole buy decision, without rate limits; see {@code admit_purchase.lua}. */
    public CompletionStage<Admission> admit(PurchaseAttempt attempt) {
        return admit(attempt, null, null);
    }

    /**
     * The whole buy decision, the per-user and per-IP buy limits included, in the user's home shard
     * (see {@link StockShards}): one call of {@code admit_purchase.lua} when that shard has the units.
     * An accepted admission's request id names that shard: use it, not the attempt's.
     *
     * @param perUser the per-user buy bucket, null for none
     * @param perIp   the per-IP buy bucket, null for none
     */
    public CompletionStage<Admission> admit(PurchaseAttempt attempt, RateLimit perUser, RateLimit perIp) {
        return shards.admit(attempt, homed -> admitOnShard(homed, perUser, perIp));
    }

    /** One admission script call in the shard the attempt's request id names. */
    private CompletionStage<Admission> admitOnShard(PurchaseAttempt attempt, RateLimit perUser, RateLimit perIp) {
        boolean idempotent = attempt.idempotencyKey() != null;
        return scripts.run(LuaScript.ADMIT_PURCHASE, admissionKeys(attempt, perUser, perIp),
                        attempt.requestId(), attempt.userId(), attempt.productId(),
                        Integer.toString(attempt.quantity()), idempotent ? "1" : "0",
                        Long.toString(requestStateTtlSeconds),
                        attempt.nonce() == null ? "" : attempt.nonce(),
                        Long.toString(attempt.tokenExpiresAt().plus(SPENT_NONCE_GRACE).toEpochMilli()),
                        rate(perUser), capacity(perUser), rate(perIp), capacity(perIp))
                .thenApply(Admission::fromScript);
    }

    /** The admission script's KEYS, in the order its header lists them: the one place they are built. */
    static String[] admissionKeys(PurchaseAttempt attempt, RateLimit perUser, RateLimit perIp) {
        RedisKeys keys = RedisKeys.ofRequest(attempt.productId(), attempt.requestId());
        return new String[] {
                keys.meta(), keys.stock(), keys.buyers(),
                keys.idempotency(attempt.userId(), attempt.idempotencyKey() != null ? attempt.idempotencyKey() : "-"),
                keys.spentNonce(attempt.nonce() == null ? "-" : attempt.nonce()),
                keys.request(attempt.requestId()), keys.outbox(),
                keys.buyRateLimit(perUser == null ? "buy-user" : perUser.scope(), attempt.userId()),
                keys.buyRateLimit(perIp == null ? "buy-ip" : perIp.scope(), attempt.sourceIp())};
    }

    private static String rate(RateLimit limit) {
        return limit == null ? "0" : Double.toString(limit.perSecond());
    }

    private static String capacity(RateLimit limit) {
        return limit == null ? "0" : Integer.toString(limit.capacity());
    }

    /**
     * One read of what a product card needs (meta and stock) with Redis TIME; writes nothing. A
     * product of several stock shards is sold out only when every shard is: its stock is then the
     * units left over all of them (one more read per shard, each on its own slot).
     */
    public CompletionStage<ProductProbe> probe(String productId) {
        RedisKeys keys = RedisKeys.product(productId);
        return scripts.run(LuaScript.PROBE_PRODUCT, new String[] {keys.meta(), keys.stock()})
                .thenApply(ProductProbe::fromScript)
                .thenCompose(probe -> probe.shards() <= 1 ? CompletableFuture.completedFuture(probe)
                        : shards.unitsLeft(productId, probe.shards())
                                .thenApply(left -> probe.withStock(left < 0 ? null : left)));
    }

    /**
     * Pauses or resumes a preloaded sale in every stock shard (admission refuses SALE_PAUSED while
     * paused).
     *
     * @return false when the product is not in Redis (nothing written)
     */
    public CompletionStage<Boolean> setPaused(String productId, boolean paused) {
        return shards.shardCount(productId).thenCompose(count -> {
            List<CompletableFuture<Long>> calls = new ArrayList<>();
            for (int k = 0; k < count; k++) {
                calls.add(scripts.run(LuaScript.PAUSE_SALE, new String[] {RedisKeys.shard(productId, k).meta()},
                        paused ? "1" : "0").thenApply(reply -> new ScriptReply(reply).number(0)).toCompletableFuture());
            }
            return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                    .thenApply(done -> calls.get(0).join() == 1);
        });
    }

    /** Lists a user on the deny list or takes the user off; returns the list's new version. */
    public CompletionStage<Long> setDenied(String userId, boolean denied) {
        return scripts.run(LuaScript.UPDATE_DENY_LIST,
                        new String[] {RedisKeys.denyListUsers(), RedisKeys.denyListVersion()}, denied ? "1" : "0", userId)
                .thenApply(reply -> new ScriptReply(reply).number(0));
    }

    /**
     * The deny list, read only if it changed since {@code knownVersion}.
     *
     * @return the version first, then the listed users when it is not {@code knownVersion}
     */
    public CompletionStage<List<String>> readDenyList(String knownVersion) {
        return scripts.run(LuaScript.READ_DENY_LIST,
                        new String[] {RedisKeys.denyListUsers(), RedisKeys.denyListVersion()},
                        knownVersion == null ? "" : knownVersion)
                .thenApply(reply -> reply.stream().map(String::valueOf).toList());
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

    /** {@link #preload(ProductCard, int, Instant, boolean)} of a sale not paused. */
    public CompletionStage<Preload> preload(ProductCard product, int available, Instant expireAt) {
        return preload(product, available, expireAt, false);
    }

    /**
     * Loads a product into Redis, unless it is already there: each of its stock shards gets its own
     * meta and an even share of the available units (a shard already there keeps its keys).
     *
     * @param available the units not yet sold (the total, before the sale)
     * @param expireAt  when every key of the product may go
     * @param paused    whether an admin paused the sale (Postgres keeps it)
     * @return the outcome of shard 0 (CONFLICT if any shard conflicts) with the stock of all shards
     */
    public CompletionStage<Preload> preload(ProductCard product, int available, Instant expireAt, boolean paused) {
        List<CompletableFuture<Preload>> loads = new ArrayList<>();
        for (int k = 0; k < product.shards(); k++) {
            loads.add(preloadShard(product, k, StockShards.share(available, product.shards(), k), expireAt, paused)
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Preload> each = loads.stream().map(CompletableFuture::join).toList();
            return each.stream().filter(p -> p.outcome() == Preload.Outcome.CONFLICT).findFirst()
                    .orElse(new Preload(each.get(0).outcome(), each.stream().mapToLong(Preload::stock).sum()));
        });
    }

    private CompletionStage<Preload> preloadShard(ProductCard product, int shard, int available, Instant expireAt,
                                                  boolean paused) {
        RedisKeys keys = RedisKeys.shard(product.productId(), shard);
        return scripts.run(LuaScript.PRELOAD_PRODUCT, new String[] {keys.meta(), keys.stock()},
                        product.productId(), product.name(), Long.toString(product.priceCents()),
                        Integer.toString(product.stock()), Integer.toString(available),
                        Long.toString(product.startsAt().toEpochMilli()), Long.toString(product.endsAt().toEpochMilli()),
                        Integer.toString(product.limitPerUser()), Long.toString(expireAt.toEpochMilli()),
                        paused ? "1" : "0", Integer.toString(product.shards()),
                        product.humanCheck().mode().wire(), Integer.toString(product.humanCheck().difficulty()))
                .thenApply(Preload::fromScript);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
