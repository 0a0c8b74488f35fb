package com.flashsale.shared.secrets;

import java.time.Duration;
import java.util.Map;

/** The password field of an RDS-shaped secret {@code {"username":..,"password":..}}, through the cache. */
final class SecretPassword implements DatabasePassword {

    // new connections are rare (pool start, restore, replacement): a fresh read costs little
    private static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final SecretCache cache;
    private final String secretArn;

    SecretPassword(SecretCache cache, String secretArn) {
        this.cache = cache;
        this.secretArn = secretArn;
    }

    @Override
    public String current() {
        return field(cache.json(secretArn, MAX_AGE), "password");
    }

    @Override
    public String refreshed() {
        return field(cache.refreshJson(secretArn), "password");
    }

    String username() {
        return field(cache.json(secretArn, MAX_AGE), "username");
    }

    private static String field(Map<String, Object> secret, String name) {
        Object value = secret.get(name);
        return value == null ? null : value.toString();
    }
}
