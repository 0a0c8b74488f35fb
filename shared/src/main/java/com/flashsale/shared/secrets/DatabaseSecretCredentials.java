package com.flashsale.shared.secrets;

import com.flashsale.shared.config.DatabaseSecretConfiguration;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.util.StringUtils;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The datasource's credentials, for every new connection rather than once before the SnapStart
 * snapshot ({@link RotatingDataSource}). With {@code flashsale.database.iam-auth} the password is
 * an RDS IAM token (RDS Proxy, no password anywhere in the function); with
 * {@code flashsale.database.secret-arn} it is the secret's password (and its user when none is
 * configured), read again when the database refuses it; otherwise {@code DATABASE_PASSWORD} applies.
 */
@Singleton
@Requires(classes = DatasourceConfiguration.class)
@Requires(beans = SecretSource.class)
public class DatabaseSecretCredentials implements BeanCreatedEventListener<DatasourceConfiguration> {

    private final SecretCache secrets;
    private final DatabaseSecretConfiguration configuration;

    public DatabaseSecretCredentials(SecretCache secrets, DatabaseSecretConfiguration configuration) {
        this.secrets = secrets;
        this.configuration = configuration;
    }

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration datasource = event.getBean();
        DatabasePassword password;
        if (configuration.iamAuth()) {
            password = new IamAuthToken(datasource.getJdbcUrl(), datasource.getUsername(), Clock.systemUTC());
        } else if (StringUtils.hasText(configuration.secretArn())) {
            SecretPassword secret = new SecretPassword(secrets, configuration.secretArn());
            if (!StringUtils.hasText(datasource.getUsername()) && secret.username() != null) {
                datasource.setUsername(secret.username());
            }
            // the value at start, for what reads the configuration; connections ask the secret
            datasource.setPassword(secret.current());
            password = secret;
        } else {
            return datasource;
        }
        datasource.setDataSource(new RotatingDataSource(datasource.getJdbcUrl(), datasource.getUsername(), password,
                datasource.getDataSourceProperties()));
        return datasource;
    }
}
