package com.flashsale.orderconsumer;

import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.event.OrderEvent;
import com.flashsale.shared.metrics.Metrics;
import com.flashsale.shared.metrics.MetricsConfiguration;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each batch writes one EMF line: orders persisted, dead letters, requests failed (the alarms' data). */
class OrderConsumerMetricsTest extends OnTheConsumerContext {

    OrderConsumerMetricsTest(RealServers servers) {
        super(servers);
    }

    @Test
    void shouldWriteTheBatchCountsAsEmf_whenABatchIsConsumed() {
        List<String> lines = new ArrayList<>();
        Metrics before = fixture.handler.metrics;
        fixture.handler.metrics = new Metrics(new MetricsConfiguration(true, "order-consumer", "FlashSale"), lines::add);
        try {
            String productId = fixture.productOnSale(5, 5);
            OrderEvent event = fixture.admit(productId, "metrics-user", 1);

            fixture.consume(fixture.records("flashsale.orders", 0, 900, List.of(event)));

            assertThat(lines).singleElement().asString().contains("\"Namespace\":\"FlashSale\"",
                    "\"function\":\"order-consumer\"", "\"OrdersPersisted\":1", "\"DeadLetters\":0", "\"OrderRequestsFailed\":0");
        } finally {
            fixture.handler.metrics = before;
        }
    }
}
