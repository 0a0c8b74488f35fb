package com.flashsale.orderconsumer;

import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.db.TestSql;
import com.flashsale.shared.event.OrderEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The consumer as Lambda starts it, nothing configured beyond the servers: its defaults and pool settings. */
class OrderConsumerSettingsTest extends OnTheConsumerContext {

    OrderConsumerSettingsTest(RealServers servers) {
        super(servers);
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
        assertThat(TestSql.driverSetting(context, "getPrepareThreshold")).isEqualTo(0);
    }
}
