package com.flashsale.http;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * When {@code flashsale.database.secret-arn} is set (env DATABASE_SECRET_ARN), the datasource's
 * password (and user, if not configured) comes from that Secrets Manager secret, in RDS's
 * {@code {"username":..,"password":..}} shape; otherwise from {@code DATABASE_PASSWORD}.
 */
@Singleton
@Requires(classes = DatasourceConfiguration.class)
@Requires(property = "flashsale.database.secret-arn", pattern = ".+")
public class DatabaseSecret implements BeanCreatedEventListener<DatasourceConfiguration> {

    private final SecretValues secrets;
    private final String secretArn;

    public DatabaseSecret(SecretValues secrets, @Value("${flashsale.database.secret-arn}") String secretArn) {
        this.secrets = secrets;
        this.secretArn = secretArn;
    }

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration configuration = event.getBean();
        Map<String, Object> secret = secrets.json(secretArn);
        if (secret.get("password") != null) {
            configuration.setPassword(secret.get("password").toString());
        }
        if ((configuration.getUsername() == null || configuration.getUsername().isBlank()) && secret.get("username") != null) {
            configuration.setUsername(secret.get("username").toString());
        }
        return configuration;
    }
}
