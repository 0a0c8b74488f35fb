package com.flashsale.shared.redis;

import com.flashsale.shared.crac.RestoreSafeRandom;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Request ids name their product ({@code <productId>.<32 hex>}), so that a result lookup can find
 * the request's Redis keys, which live in the product's hash slot.
 */
public final class RequestIds {

    private static final Pattern REQUEST_ID = Pattern.compile("([A-Za-z0-9_-]{1,64})\\.[0-9a-f]{32}");

    private RequestIds() {
    }

    public static String newRequestId(String productId) {
        return productId + "." + RestoreSafeRandom.shared().hex(16);
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
