package com.flashsale.reconciliation;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.event.OrderEvent;
import com.flashsale.shared.redis.RedisKeys;
import io.micronaut.json.JsonMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Nothing stays PENDING: decisions Redis lost are written back, requests nobody decided are driven again. */
@ExtendWith(RealServersExtension.class)
class PendingRequestsTest {

    @Test
    void shouldWriteBackPostgresDecisions_whenAFailoverSetTheirRedisStateBackToPending(RealServers servers) {
        try (ReconciliationFixture fixture = new ReconciliationFixture(servers, Map.of())) {
            String productId = fixture.productOnSale(2);
            OrderEvent won = fixture.admit(productId, "olga");
            OrderEvent lost = fixture.admit(productId, "pete");
            fixture.sql("UPDATE product SET stock_left = 1 WHERE id = ?", productId); // pete's unit never existed
            fixture.persist(won, Duration.ofMinutes(15));
            fixture.persist(lost, Duration.ofMinutes(15));
            RedisKeys keys = RedisKeys.product(productId);
            for (OrderEvent event : List.of(won, lost)) { // what a failover that lost the consumer's writes leaves
                fixture.redis.hset(keys.request(event.requestId()), "status", "PENDING");
                fixture.redis.hdel(keys.request(event.requestId()), "orderId", "reason");
            }

            String wonOrder = fixture.query("SELECT id FROM purchase_order WHERE request_id = ?", won.requestId()).get(0);

            RunSummary run = fixture.run();

            assertThat(run.count(Actions.STATES_WRITTEN_BACK)).isEqualTo(2);
            assertThat(fixture.redis.hgetall(keys.request(won.requestId())))
                    .containsEntry("status", "SUCCESS").containsEntry("orderId", wonOrder);
            assertThat(fixture.redis.hgetall(keys.request(lost.requestId())))
                    .containsEntry("status", "FAILED").containsEntry("reason", "SOLD_OUT");
            assertThat(fixture.run().count(Actions.STATES_WRITTEN_BACK)).isZero();
        }
    }

    @Test
    void shouldPublishTheEventAgainFromTheRequestsState_whenAnAcceptedRequestIsUndecidedAndNoLongerInTheOutbox(
            RealServers servers) throws Exception {
        String topic = servers.freshTopic("orders-undecided", 1);
        try (ReconciliationFixture fixture = new ReconciliationFixture(servers, Map.of(
                "flashsale.orders-topic", topic, "flashsale.reconciliation.redrive-undecided-after", "1s"))) {
            String productId = fixture.productOnSale(10);
            OrderEvent dropped = fixture.admit(productId, "quinn"); // Kafka had it; the trigger gave up on its batch
            fixture.acknowledge(dropped);
            OrderEvent decided = fixture.admit(productId, "rita");
            fixture.persist(decided, Duration.ofMinutes(15));

            RunSummary run = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                    .until(fixture::run, summary -> summary.count(Actions.REDRIVEN_UNDECIDED) > 0);

            assertThat(run.count(Actions.REDRIVEN_UNDECIDED)).isEqualTo(1);
            List<ConsumerRecord<String, byte[]>> published = OutboxRedriveTest.readAll(servers, topic, 1);
            assertThat(published).hasSize(1);
            assertThat(published.get(0).key()).isEqualTo(dropped.kafkaKey());
            assertThat(fixture.context.getBean(JsonMapper.class).readValue(published.get(0).value(), OrderEvent.class))
                    .isEqualTo(dropped);
            // once the consumer decided it, nothing is published again and nothing is left PENDING
            fixture.persist(dropped, Duration.ofMinutes(15));
            assertThat(fixture.run().count(Actions.REDRIVEN_UNDECIDED)).isZero();
        }
    }
}
