package com.flashsale.shared.redis;

import java.util.regex.Pattern;

/**
 * The only place that builds Redis key names.
 *
 * <p>Every key of one stock shard of a product carries one hash tag, so that every multi-key script
 * of a shard runs on one slot of a Redis Cluster: {@code {p:<productId>}} for shard 0 (a product of
 * one shard has exactly this layout) and {@code {p:<productId>:<k>}} for shard k of a product whose
 * stock is split over several slots. A request's keys are in its shard, which its id names.
 * The token function's rate-limit buckets and the deny list live in slots of their own; buy's
 * buckets live in the user's home shard, checked inside the admission script.
 */
public final class RedisKeys {

    /** Product ids are URL- and key-safe; a request id is {@code <productId>.<random>}. */
    public static final Pattern PRODUCT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** The most stock shards a product may have ({@code shards} at product creation). */
    public static final int MAX_SHARDS = 64;

    private final String prefix;
    private final int shard;

    private RedisKeys(String productId, int shard) {
        if (!PRODUCT_ID.matcher(productId).matches()) {
            throw new IllegalArgumentException("not a product id: " + productId);
        }
        if (shard < 0 || shard >= MAX_SHARDS) {
            throw new IllegalArgumentException("not a shard: " + shard);
        }
        this.prefix = shard == 0 ? "fs:{p:" + productId + "}:" : "fs:{p:" + productId + ":" + shard + "}:";
        this.shard = shard;
    }

    /** The keys of the product's shard 0: all of them for a product of one shard. */
    public static RedisKeys product(String productId) {
        return new RedisKeys(productId, 0);
    }

    /** The keys of one stock shard of the product. */
    public static RedisKeys shard(String productId, int shard) {
        return new RedisKeys(productId, shard);
    }

    /** The keys of the shard a request of this product was admitted in (shard 0 for an id that names none). */
    public static RedisKeys ofRequest(String productId, String requestId) {
        return new RedisKeys(productId, RequestIds.shardOf(requestId));
    }

    public int shardIndex() {
        return shard;
    }

    /** Sale window, card and per-user limit (hash). */
    public String meta() {
        return prefix + "meta";
    }

    /** Units still available (integer, never below zero). */
    public String stock() {
        return prefix + "stock";
    }

    /** userId -> the request id of that user's accepted request (hash). */
    public String buyers() {
        return prefix + "buyers";
    }

    /** Order events accepted but not yet acknowledged by Kafka (stream). */
    public String outbox() {
        return prefix + "outbox";
    }

    /** Request ids whose stock was given back, so that it happens once (set). */
    public String released() {
        return prefix + "released";
    }

    /** Transfers that took units out of this shard: transferId -> "recipientShard|units" (hash). */
    public String transfersOut() {
        return prefix + "xfer-out";
    }

    /** Transfers whose units this shard received, so that it happens once (set). */
    public String transfersIn() {
        return prefix + "xfer-in";
    }

    /** A purchase token's nonce, once a purchase has spent it (kept past the token's expiry). */
    public String spentNonce(String nonce) {
        return prefix + "spent:" + nonce;
    }

    /**
     * A buy token bucket in this shard's slot, e.g. {@code buyRateLimit("buy-user", "u1")}: the
     * admission script checks it in the same call.
     */
    public String buyRateLimit(String scope, String subject) {
        return prefix + "rl:" + scope + ":" + subject;
    }

    /** State of one accepted request (hash). */
    public String request(String requestId) {
        return prefix + "req:" + requestId;
    }

    public String idempotency(String userId, String idempotencyKey) {
        return prefix + "idem:" + userId + ":" + idempotencyKey;
    }

    /** Every key of this shard (of the whole product when it has one shard), for audits, snapshots and tests. */
    public String pattern() {
        return prefix + "*";
    }

    /**
     * The marker of an id found in no store ({@code kind} product, request or order), in a slot of its
     * own: a crowd asking for unknown ids never reaches Postgres, nor the product's slot.
     */
    public static String unknown(String kind, String id) {
        return "fs:unknown:{" + kind + ":" + id + "}";
    }

    /** A token bucket in a slot of its own, e.g. {@code rateLimit("buy-user", "u1")}. */
    public static String rateLimit(String scope, String subject) {
        return "fs:rl:{" + scope + ":" + subject + "}";
    }

    /** The deny list: the user ids token and buy refuse (set), in a slot of its own. */
    public static String denyListUsers() {
        return "fs:{deny}:users";
    }

    /** The deny list's version, moved on by every change (integer), in the list's slot. */
    public static String denyListVersion() {
        return "fs:{deny}:version";
    }

    /**
     * The marker of a spent ALTCHA solution, keyed by its challenge's signature (hex), in a slot of
     * its own: verifying a proof never touches the product's slot.
     */
    public static String altchaSpent(String signature) {
        return "fs:altcha:{" + signature + "}";
    }
}
