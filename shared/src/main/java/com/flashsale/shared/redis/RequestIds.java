package com.flashsale.shared.redis;

import com.flashsale.shared.crac.RestoreSafeRandom;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Request ids name their product and stock shard ({@code <productId>.<32 hex>} in shard 0,
 * {@code <productId>.<32 hex>.<shard>} in shard 1..63), so that a result lookup, the order consumer
 * and the reconciliation find the request's Redis keys, which live in its shard's hash slot.
 */
public final class RequestIds {

    private static final Pattern REQUEST_ID =
            Pattern.compile("([A-Za-z0-9_-]{1,64})\\.[0-9a-f]{32}(?:\\.([1-9]|[1-5][0-9]|6[0-3]))?");

    private RequestIds() {
    }

    public static String newRequestId(String productId) {
        return productId + "." + RestoreSafeRandom.shared().hex(16);
    }

    /** The same request id, placed in another stock shard of its product. */
    public static String onShard(String requestId, int shard) {
        var matcher = REQUEST_ID.matcher(requestId);
        if (shard == 0 && !matcher.matches()) {
            return requestId; // not one of ours: it stays what it is, in shard 0
        }
        if (!matcher.matches() || shard < 0 || shard >= RedisKeys.MAX_SHARDS) {
            throw new IllegalArgumentException("cannot place " + requestId + " in shard " + shard);
        }
        String unsharded = matcher.group(2) == null ? requestId : requestId.substring(0, matcher.start(2) - 1);
        return shard == 0 ? unsharded : unsharded + "." + shard;
    }

    /** The stock shard of a well-formed request id (0 for anything else). */
    public static int shardOf(String requestId) {
        var matcher = requestId == null ? null : REQUEST_ID.matcher(requestId);
        return matcher == null || !matcher.matches() || matcher.group(2) == null ? 0 : Integer.parseInt(matcher.group(2));
    }

    /** The product of a well-formed request id; empty for anything else. */
    public static Optional<String> productOf(String requestId) {
        if (requestId == null) {
            return Optional.empty();
        }
        var matcher = REQUEST_ID.matcher(requestId);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
