package com.flashsale.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code flashsale.token.*}: the purchase tokens. The token function signs them, the buy function
 * verifies them, both with the codec of {@link TokenCodecFactory}. Each key is {@code id:secret}
 * (the secret 32 bytes at least); an empty value counts as unset.
 *
 * @param currentKey    {@code flashsale.token.current-key} ({@code TOKEN_CURRENT_KEY}): signs and
 *                      verifies; required unless {@code keys-secret-arn} is set
 * @param previousKey   {@code flashsale.token.previous-key} ({@code TOKEN_PREVIOUS_KEY}): still
 *                      verifies, for tokens signed before a key rotation
 * @param keysSecretArn {@code flashsale.token.keys-secret-arn} ({@code TOKEN_KEYS_SECRET_ARN}, set by
 *                      infra-terraform): a Secrets Manager secret
 *                      {@code {"current":"id:secret","previous":"id:secret"}} that wins over both keys
 * @param lifetime      {@code flashsale.token.lifetime} ({@code TOKEN_LIFETIME}): how long a token
 *                      the token function issues stays valid, 60 seconds by default
 */
@ConfigurationProperties("flashsale.token")
public record TokenConfiguration(@Nullable String currentKey,
                                 @Nullable String previousKey,
                                 @Nullable String keysSecretArn,
                                 @Bindable(defaultValue = "60s") Duration lifetime) {
}
