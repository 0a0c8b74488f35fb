package com.flashsale.orderconsumer;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.event.OrderEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The consumer as Lambda starts it, nothing configured beyond the servers: its defaults and pool settings. */
// not transactional: the consumer commits its own transactions, and the test reads them back on a connection of its own
@MicronautTest(transactional = false)
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderConsumerSettingsTest implements TestPropertyProvider {

    private final RealServers servers;
    private final RealServers.Database database;
    @Inject
    ApplicationContext context;
    ConsumerFixture fixture;

    OrderConsumerSettingsTest(RealServers servers) {
        this.servers = servers;
        this.database = ConsumerFixture.migrated(servers.freshDatabase("consumer"));
    }

    @Override
    public Map<String, String> getProperties() {
        return ConsumerFixture.properties(servers, database);
    }

    @BeforeAll
    void start() {
        fixture = new ConsumerFixture(servers, database, context);
    }

    @Test
    void shouldGiveFifteenMinutesToPay_whenNoPaymentWindowIsConfigured() {
        String productId = fixture.productOnSale(5, 5);
        OrderEvent event = fixture.admit(productId, "uma", 1);

        fixture.consume(fixture.records("flashsale.orders", 0, 0, List.of(event)));

        assertThat(fixture.number("SELECT extract(epoch FROM pay_by - created_at)::bigint FROM purchase_order "
                + "WHERE request_id = ?", event.requestId())).isEqualTo(15 * 60);
    }

    /** A generic plan made while the tables were small would scan them whole once they hold a sale. */
    @Test
    void shouldPlanEveryStatementForItsParameters_whenThePoolConnects() throws Exception {
        DataSource pool = context.getBean(DataSourceResolver.class).resolve(context.getBean(DataSource.class));

        try (Connection connection = pool.getConnection()) {
            Class<?> pgConnection = Class.forName("org.postgresql.PGConnection");
            Object driverConnection = connection.unwrap(pgConnection);

            assertThat(pgConnection.getMethod("getPrepareThreshold").invoke(driverConnection)).isEqualTo(0);
        }
    }
}
