package com.flashsale.shared.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * How the functions log in to Postgres ({@code com.flashsale.shared.secrets.DatabaseSecretCredentials}).
 *
 * @param secretArn {@code flashsale.database.secret-arn} (Lambda: {@code DATABASE_SECRET_ARN}): a Secrets
 *                  Manager secret {@code {"username":..,"password":..}} read for each new connection
 *                  (cached, read again when refused); unset or empty: {@code datasources.default.password}
 * @param iamAuth   {@code flashsale.database.iam-auth} (Lambda: {@code FLASHSALE_DATABASE_IAM_AUTH}, set
 *                  by infra-terraform): log in to RDS Proxy with an IAM token instead of a password;
 *                  false by default
 */
@ConfigurationProperties("flashsale.database")
public record DatabaseSecretConfiguration(@Nullable String secretArn,
                                          @Bindable(defaultValue = "false") boolean iamAuth) {
}
