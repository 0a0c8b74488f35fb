package com.flashsale.shared.secrets;

import com.flashsale.shared.token.PurchaseTokenCodec.KeySource;
import com.flashsale.shared.token.PurchaseTokenCodec.TokenKeys;
import com.flashsale.shared.token.TokenKey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The purchase-token keys from their secret {@code {"current":"id:secret","previous":"id:secret"}}
 * ({@code currentKey}/{@code previousKey} are read too), through {@link SecretCache}: read again
 * every 5 minutes, after a restore, and when a token names an unknown key id, but at most once
 * every 10 seconds for the latter, so forged key ids cannot turn into a flood of reads.
 */
public final class SecretTokenKeys implements KeySource {

    private static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(10);

    private final SecretCache cache;
    private final String secretArn;
    private final Clock clock;
    private volatile Instant lastRefresh = Instant.MIN;

    public SecretTokenKeys(SecretCache cache, String secretArn) {
        this(cache, secretArn, Clock.systemUTC());
    }

    SecretTokenKeys(SecretCache cache, String secretArn, Clock clock) {
        this.cache = cache;
        this.secretArn = secretArn;
        this.clock = clock;
    }

    @Override
    public TokenKeys keys() {
        return parse(cache.json(secretArn, MAX_AGE));
    }

    @Override
    public synchronized TokenKeys refreshed() {
        Instant now = clock.instant();
        if (now.isBefore(lastRefresh.plus(MIN_REFRESH_INTERVAL))) {
            return keys();
        }
        lastRefresh = now;
        return parse(cache.refreshJson(secretArn));
    }

    private TokenKeys parse(Map<String, Object> secret) {
        String current = text(secret, "current", "currentKey");
        String previous = text(secret, "previous", "previousKey");
        if (current == null) {
            throw new IllegalStateException("the secret " + secretArn + " has no current key");
        }
        try {
            return new TokenKeys(TokenKey.parse(current), Optional.ofNullable(previous).map(TokenKey::parse));
        } catch (IllegalArgumentException e) {
            // the message names the key id at most, never the secret
            throw new IllegalStateException("unusable purchase-token key in " + secretArn + ": " + e.getMessage());
        }
    }

    private static String text(Map<String, Object> secret, String name, String alias) {
        Object value = secret.getOrDefault(name, secret.get(alias));
        return value == null || value.toString().isBlank() || "null".equals(value.toString()) ? null : value.toString();
    }
}
