package com.flashsale.shared.redis;

import java.util.regex.Pattern;

/**
 * The only place that builds Redis key names.
 *
 * <p>Every key of one product carries the hash tag {@code {p:<productId>}}, so that every
 * multi-key script of a product runs on one shard of a Redis Cluster. Rate-limit buckets live in
 * slots of their own and are checked by a call of their own.
 */
public final class RedisKeys {

    /** Product ids are URL- and key-safe; a request id is {@code <productId>.<random>}. */
    public static final Pattern PRODUCT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final String prefix;

    private RedisKeys(String productId) {
        if (!PRODUCT_ID.matcher(productId).matches()) {
            throw new IllegalArgumentException("not a product id: " + productId);
        }
        this.prefix = "fs:{p:" + productId + "}:";
    }

    public static RedisKeys product(String productId) {
        return new RedisKeys(productId);
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

    public String nonce(String nonce) {
        return prefix + "nonce:" + nonce;
    }

    /** State of one accepted request (hash). */
    public String request(String requestId) {
        return prefix + "req:" + requestId;
    }

    public String idempotency(String userId, String idempotencyKey) {
        return prefix + "idem:" + userId + ":" + idempotencyKey;
    }

    /** Every key of the product, for audits, snapshots and tests. */
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
}
