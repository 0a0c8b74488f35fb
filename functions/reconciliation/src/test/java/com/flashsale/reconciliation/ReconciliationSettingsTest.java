package com.flashsale.reconciliation;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.config.KafkaAuthConfiguration;
import com.flashsale.shared.config.OrdersTopicConfiguration;
import com.flashsale.shared.db.TestSql;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The reconciliation as Lambda starts it, nothing configured beyond the servers: its defaults and pool settings. */
@MicronautTest(transactional = false)
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconciliationSettingsTest implements TestPropertyProvider {

    private final RealServers servers;
    @Inject
    ApplicationContext context;

    ReconciliationSettingsTest(RealServers servers) {
        this.servers = servers;
    }

    @Override
    public Map<String, String> getProperties() {
        return ReconciliationFixture.properties(servers, servers.freshDatabase("reconciliation"));
    }

    @Test
    void shouldUseTheDocumentedDefaults_whenNothingIsConfigured() {
        assertThat(context.getBean(ReconciliationSettings.class)).isEqualTo(new ReconciliationSettings(
                Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofHours(2),
                Duration.ofHours(6), 1000, Duration.ofSeconds(60)));
        assertThat(context.getBean(KeyRetention.class).keyRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(context.getBean(OrdersTopicConfiguration.class).ordersTopic()).isEqualTo("flashsale.orders");
        assertThat(context.getBean(KafkaAuthConfiguration.class).clientSettings()).isEmpty();
    }

    /** Plans made for the actual parameters; the long walks read from a cursor, not into memory at once. */
    @Test
    void shouldPlanEachStatementAndFetchInChunks_whenThePoolConnects() throws Exception {
        assertThat(TestSql.driverSetting(context, "getPrepareThreshold")).isEqualTo(0);
        assertThat(TestSql.driverSetting(context, "getDefaultFetchSize")).isEqualTo(SaleQueries.CHUNK);
    }
}
