package com.flashsale.reconciliation;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RealServersExtension.class)
class SecretsTest {

    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-flashsale";

    @Test
    void shouldTakeTheDatabasePasswordFromTheSecret_whenItsArnIsConfigured(RealServers servers) {
        try (ReconciliationFixture fixture = new ReconciliationFixture(servers, Map.of(
                "flashsale.database.secret-arn", ARN, "test.secret.password", "from-the-secret"))) {

            RunSummary summary = fixture.run();

            DatasourceConfiguration datasource = fixture.context.getBean(DatasourceConfiguration.class);
            assertThat(datasource.getPassword()).isEqualTo("from-the-secret");
            assertThat(datasource.getUsername()).isEqualTo(fixture.database.user());
            assertThat(fixture.context.getBean(StubSecrets.class).read).containsExactly(ARN);
            assertThat(summary.acted()).isTrue();
        }
    }

    @Test
    void shouldUseTheConfiguredPassword_whenNoSecretIsConfigured(RealServers servers) {
        try (ReconciliationFixture fixture = new ReconciliationFixture(servers, Map.of())) {
            assertThat(fixture.context.getBean(DatasourceConfiguration.class).getPassword())
                    .isEqualTo(fixture.database.password());
        }
    }

    @Test
    void shouldAuthenticateToRedisWithTheSecretsToken_whenItsArnIsConfigured(RealServers servers) {
        String redisSecret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:flashsale-redis-auth";
        RealServers.Database database = servers.freshDatabase("secrets");
        // no connection to Redis is made: the local server has no AUTH
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "redis.uri", servers.redisUri(), "flashsale.redis.auth-secret-arn", redisSecret,
                "test.secret.password", "elasticache-token", "datasources.default.url", database.jdbcUrl(),
                "datasources.default.username", database.user()))) {

            AbstractRedisConfiguration redis = context.getBean(AbstractRedisConfiguration.class);

            // asked at every (re)connection, so a rotated token is picked up
            assertThat(new String(redis.getUri().orElseThrow().getCredentialsProvider().resolveCredentials().block()
                    .getPassword())).isEqualTo("elasticache-token");
            assertThat(context.getBean(StubSecrets.class).read).contains(redisSecret);
        }
    }
}
