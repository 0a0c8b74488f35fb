package com.flashsale.token.human;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code flashsale.human.*}: human verification at the token step ({@link HumanVerification}). Secrets
 * come from configuration or from Secrets Manager, never from code, and are never logged; an empty
 * value counts as unset. A product that asks for a check whose settings are missing is answered 503
 * UNAVAILABLE, never let through.
 *
 * @param altchaKey            {@code flashsale.human.altcha-key} ({@code ALTCHA_HMAC_KEY}): signs the
 *                             ALTCHA challenges (32 characters at least)
 * @param altchaKeySecretArn   {@code flashsale.human.altcha-key-secret-arn} ({@code ALTCHA_KEY_SECRET_ARN}):
 *                             a Secrets Manager secret holding that key as a plain string; wins over
 *                             {@code altcha-key}, read again every 5 minutes and after a restore
 * @param challengeLifetime    {@code flashsale.human.challenge-lifetime} ({@code ALTCHA_CHALLENGE_LIFETIME}):
 *                             how long a challenge may be solved and its solution used, 5 minutes by default
 * @param providerVerifyUrl    {@code flashsale.human.provider-verify-url} ({@code CAPTCHA_VERIFY_URL}): the
 *                             hosted captcha's siteverify endpoint, e.g.
 *                             {@code https://challenges.cloudflare.com/turnstile/v0/siteverify}
 * @param providerSecret       {@code flashsale.human.provider-secret} ({@code CAPTCHA_SECRET}): the site's
 *                             secret at that provider
 * @param providerSecretArn    {@code flashsale.human.provider-secret-arn} ({@code CAPTCHA_SECRET_ARN}): a
 *                             Secrets Manager secret holding it; wins over {@code provider-secret}
 * @param providerTimeout      {@code flashsale.human.provider-timeout} ({@code CAPTCHA_TIMEOUT}): how long
 *                             to wait for the provider before answering 503, 3 seconds by default
 */
@ConfigurationProperties("flashsale.human")
public record HumanCheckConfiguration(@Nullable String altchaKey,
                                      @Nullable String altchaKeySecretArn,
                                      @Bindable(defaultValue = "5m") Duration challengeLifetime,
                                      @Nullable String providerVerifyUrl,
                                      @Nullable String providerSecret,
                                      @Nullable String providerSecretArn,
                                      @Bindable(defaultValue = "3s") Duration providerTimeout) {
}
