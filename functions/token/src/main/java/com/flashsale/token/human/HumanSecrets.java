package com.flashsale.token.human;

import com.flashsale.http.ApiException;
import com.flashsale.shared.secrets.SecretCache;
import io.micronaut.context.BeanProvider;
import io.micronaut.core.util.StringUtils;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * The human check's secrets: from a Secrets Manager secret when its ARN is set (read again every
 * 5 minutes and after a SnapStart restore, so a rotation needs no redeploy), else from configuration.
 * Missing or unreadable is 503 UNAVAILABLE for the request that needs it (never a pass, never a failed
 * cold start for the products that need none). Values never reach a log or a message.
 */
@Singleton
public class HumanSecrets {

    static final int MIN_ALTCHA_KEY_LENGTH = 32;
    private static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final HumanCheckConfiguration configuration;
    private final BeanProvider<SecretCache> secrets;

    public HumanSecrets(HumanCheckConfiguration configuration, BeanProvider<SecretCache> secrets) {
        this.configuration = configuration;
        this.secrets = secrets;
    }

    /** The key that signs ALTCHA challenges. */
    public String altchaKey() {
        String key = read(configuration.altchaKeySecretArn(), configuration.altchaKey(), "the ALTCHA key");
        if (key.length() < MIN_ALTCHA_KEY_LENGTH) {
            throw ApiException.unavailable("the ALTCHA key is too short; human verification is not configured");
        }
        return key;
    }

    /** The site's secret at the captcha provider. */
    public String providerSecret() {
        return read(configuration.providerSecretArn(), configuration.providerSecret(), "the captcha secret");
    }

    private String read(String secretArn, String configured, String what) {
        String value;
        if (StringUtils.hasText(secretArn)) {
            try {
                value = secrets.get().string(secretArn, MAX_AGE);
            } catch (RuntimeException e) {
                throw ApiException.unavailable(what + " cannot be read; please retry");
            }
        } else {
            value = configured;
        }
        if (!StringUtils.hasText(value)) {
            throw ApiException.unavailable(what + " is not configured; human verification is unavailable");
        }
        return value;
    }
}
