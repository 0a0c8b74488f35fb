package com.flashsale.shared.secrets;

import com.flashsale.shared.config.DatabaseSecretConfiguration;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * When {@code flashsale.database.secret-arn}
 * is set (env {@code DATABASE_SECRET_ARN}), the datasource's password, and its user if none is
 * configured, come from that secret in RDS's {@code {"username":..,"password":..}} shape; otherwise
 * {@code DATABASE_PASSWORD} applies.
 */
@Singleton
@Requires(classes = DatasourceConfiguration.class)
@Requires(beans = SecretSource.class)
@Requires(property = "flashsale.database.secret-arn", pattern = ".+")
public class DatabaseSecretCredentials implements BeanCreatedEventListener<DatasourceConfiguration> {

    private final SecretSource secrets;
    private final String secretArn;

    public DatabaseSecretCredentials(SecretSource secrets, DatabaseSecretConfiguration configuration) {
        this.secrets = secrets;
        this.secretArn = configuration.secretArn();
    }

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration datasource = event.getBean();
        Map<String, Object> secret = secrets.json(secretArn);
        if (secret.get("password") != null) {
            datasource.setPassword(secret.get("password").toString());
        }
        if ((datasource.getUsername() == null || datasource.getUsername().isBlank()) && secret.get("username") != null) {
            datasource.setUsername(secret.get("username").toString());
        }
        return datasource;
    }
}
