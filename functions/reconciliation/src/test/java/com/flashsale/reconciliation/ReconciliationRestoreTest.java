package com.flashsale.reconciliation;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.event.OrderEvent;
import io.micronaut.crac.test.CheckpointSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/reliability.md row 14: a reconciliation container after a SnapStart restore. The re-drive
 * producer (idempotent: its producer id must not be shared by two restored containers) is closed
 * before the checkpoint; after the restore a run takes the lease in PostgreSQL, reads Redis, and
 * re-publishes with a new producer.
 */
@ExtendWith(RealServersExtension.class)
class ReconciliationRestoreTest {

    @Test
    void shouldCloseTheProducer_beforeCheckpoint_andRunAndPublish_afterRestore(RealServers servers) throws Exception {
        String topic = servers.freshTopic("orders-restore", 1);
        try (ReconciliationFixture fixture = new ReconciliationFixture(servers, Map.of("flashsale.orders-topic", topic))) {
            CheckpointSimulator simulator = fixture.context.getBean(CheckpointSimulator.class);
            OrderEventPublisher publisher = fixture.context.getBean(OrderEventPublisher.class);
            String productId = fixture.productOnSale(10);
            OrderEvent before = fixture.admit(productId, "ivan");
            OrderEvent after = fixture.admit(productId, "judy"); // the fixture's own Redis connection is the function's
            assertThat(publisher.publish(List.of(before))).containsExactly(true);
            int producers = openProducers();

            simulator.runBeforeCheckpoint();

            assertThat(openProducers()).isEqualTo(producers - 1);

            simulator.runAfterRestore();

            assertThat(fixture.run().acted()).isTrue();
            assertThat(publisher.publish(List.of(after))).containsExactly(true);
            assertThat(openProducers()).isEqualTo(producers);
        }
    }

    /** Kafka producers registered in this JVM (each registers its app-info MBean until closed). */
    private static int openProducers() throws MalformedObjectNameException {
        return ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("kafka.producer:type=app-info,id=*"), null).size();
    }
}
