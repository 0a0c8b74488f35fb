package com.flashsale.shared.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code flashsale.database.secret-arn} (Lambda: {@code DATABASE_SECRET_ARN}, from
 * infra-terraform): the RDS-managed Secrets Manager secret that holds the datasource's password
 * ({@code com.flashsale.shared.secrets.DatabaseSecretCredentials}).
 *
 * @param secretArn the secret's ARN; unset or empty: {@code datasources.default.password} applies
 */
@ConfigurationProperties("flashsale.database")
public record DatabaseSecretConfiguration(@Nullable String secretArn) {
}
