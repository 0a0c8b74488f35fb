package com.flashsale.reconciliation;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.metrics.Metrics;
import com.flashsale.shared.metrics.MetricsConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A failed step is not swallowed: the invocation fails (the Errors alarm), after the metrics are written. */
@ExtendWith(RealServersExtension.class)
class ReconciliationErrorsTest {

    @Test
    void shouldFailTheInvocationAndCountTheStep_whenAStepFails(RealServers servers) throws Exception {
        try (ReconciliationFixture fixture = new ReconciliationFixture(servers, Map.of())) {
            List<String> lines = new ArrayList<>();
            fixture.handler.metrics = new Metrics(new MetricsConfiguration(true, "reconciliation", "FlashSale"), lines::add);
            // Arrange: the payment-timeout step cannot read its table
            try (Connection c = fixture.database.connect(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE purchase_order RENAME TO purchase_order_away");
            }

            // Act + Assert
            assertThatThrownBy(fixture::run).hasMessageContaining("reconciliation steps failed");
            assertThat(lines).hasSize(2).first().asString()
                    .contains("\"Namespace\":\"FlashSale\"", "\"ReconciliationStepErrors\":1", "\"function\":\"reconciliation\"");
            assertThat(lines.get(1)).contains("\"Name\":\"OutboxAgeSeconds\",\"Unit\":\"Seconds\"");
        }
    }
}
