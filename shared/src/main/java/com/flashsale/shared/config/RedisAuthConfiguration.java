package com.flashsale.shared.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code flashsale.redis.auth-secret-arn} (Lambda: {@code REDIS_AUTH_SECRET_ARN}, from
 * infra-terraform): the Secrets Manager secret whose token authenticates every Redis URI
 * ({@code com.flashsale.shared.secrets.RedisAuthCredentials}).
 *
 * @param authSecretArn the secret's ARN; unset or empty (local runs, tests): no AUTH
 */
@ConfigurationProperties("flashsale.redis")
public record RedisAuthConfiguration(@Nullable String authSecretArn) {
}
