package com.flashsale.admin;

import com.flashsale.shared.secrets.SecretCache;
import io.micronaut.context.BeanProvider;
import io.micronaut.core.util.StringUtils;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The payment provider's signing secrets, current and previous: from the Secrets Manager secret
 * {@code {"current","previous"}} when {@code secret-arn} is set (read again every 5 minutes, and when
 * no secret verifies a signature, at most once every 10 seconds so that forged signatures cannot
 * turn into a flood of reads), else from configuration. Never logged.
 */
@Singleton
class WebhookSecrets {

    private static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(10);

    private final PaymentWebhookConfiguration configuration;
    private final BeanProvider<SecretCache> cache;
    private final Clock clock;
    private volatile Instant lastRefresh = Instant.MIN;

    @Inject
    WebhookSecrets(PaymentWebhookConfiguration configuration, BeanProvider<SecretCache> cache) {
        this(configuration, cache, Clock.systemUTC());
    }

    WebhookSecrets(PaymentWebhookConfiguration configuration, BeanProvider<SecretCache> cache, Clock clock) {
        this.configuration = configuration;
        this.cache = cache;
        this.clock = clock;
    }

    /** Whether any secret is configured at all. */
    boolean configured() {
        return StringUtils.hasText(configuration.secretArn()) || StringUtils.hasText(configuration.currentSecret());
    }

    /**
     * Whether one of the secrets passes the check; when none does and the secrets come from Secrets
     * Manager, they are read again (rotated since the last read?) and tried once more.
     */
    boolean anyMatches(Predicate<byte[]> check) {
        if (!StringUtils.hasText(configuration.secretArn())) {
            return matches(List.of(String.valueOf(configuration.currentSecret()), String.valueOf(configuration.previousSecret())), check);
        }
        String arn = configuration.secretArn();
        if (matches(fromSecret(cache.get().json(arn, MAX_AGE)), check)) {
            return true;
        }
        synchronized (this) {
            Instant now = clock.instant();
            if (now.isBefore(lastRefresh.plus(MIN_REFRESH_INTERVAL))) {
                return false;
            }
            lastRefresh = now;
        }
        return matches(fromSecret(cache.get().refreshJson(arn)), check);
    }

    private static List<String> fromSecret(Map<String, Object> secret) {
        List<String> secrets = new ArrayList<>(2);
        secrets.add(String.valueOf(secret.get("current")));
        secrets.add(String.valueOf(secret.get("previous")));
        return secrets;
    }

    private static boolean matches(List<String> secrets, Predicate<byte[]> check) {
        boolean matched = false;
        for (String secret : secrets) {
            // every secret is tried, so the time taken does not say which one matched
            if (StringUtils.hasText(secret) && !"null".equals(secret)) {
                matched |= check.test(secret.getBytes(StandardCharsets.UTF_8));
            }
        }
        return matched;
    }
}
