package com.flashsale.reconciliation;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RealServersExtension.class)
class DatabaseSecretTest {

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
}
