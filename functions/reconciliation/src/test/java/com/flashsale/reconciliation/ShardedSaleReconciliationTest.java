package com.flashsale.reconciliation;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.event.OrderEvent;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.redis.RequestIds;
import com.flashsale.shared.redis.StockShards;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A product whose stock is split over several Redis slots, as the reconciliation sees it. */
@ExtendWith(RealServersExtension.class)
class ShardedSaleReconciliationTest {

    private static final int SHARDS = 4;

    @Test
    void shouldFinishATransferACrashInterrupted_andRedriveEveryShardsOutbox_withTheBooksBalanced(RealServers servers) {
        String topic = servers.freshTopic("orders-sharded", 2);
        try (ReconciliationFixture fixture = new ReconciliationFixture(servers, Map.of(
                "flashsale.orders-topic", topic, "flashsale.reconciliation.redrive-after", "0s"))) {
            String productId = fixture.productOnSale(40, SHARDS);
            List<OrderEvent> accepted = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                accepted.add(fixture.admit(productId, "user" + i)); // buy never heard back from Kafka
            }
            assertThat(accepted).allSatisfy(event -> assertThat(RequestIds.shardOf(event.requestId()))
                    .isEqualTo(StockShards.homeShard(event.userId(), SHARDS)));
            assertThat(accepted.stream().map(e -> RequestIds.shardOf(e.requestId())).distinct().count())
                    .as("the buyers live in several shards").isGreaterThan(1);
            // a buyer's container died between the donor side and the recipient side of a transfer
            long inFlight = fixture.gate.shards().transferOut(productId, 3, 1, 1, "crashed").toCompletableFuture().join();
            assertThat(inFlight).isPositive();

            RunSummary run = fixture.run();

            assertThat(run.count(Actions.TRANSFERS_FINISHED)).isEqualTo(1);
            assertThat(run.count(Actions.REDRIVEN)).as("every shard's outbox re-driven").isEqualTo(12);
            assertThat(run.count(Actions.DISCREPANCIES)).as("stock over shards + in flight + orders = total").isZero();
            long stock = 0;
            for (int k = 0; k < SHARDS; k++) {
                RedisKeys shard = RedisKeys.shard(productId, k);
                assertThat(fixture.redis.xlen(shard.outbox())).isZero();
                assertThat(fixture.redis.hlen(shard.transfersOut())).isZero();
                stock += Long.parseLong(fixture.redis.get(shard.stock()));
            }
            assertThat(stock).as("no unit lost in the transfer").isEqualTo(40 - 12);
            assertThat(fixture.run().count(Actions.TRANSFERS_FINISHED)).as("finished once").isZero();
        }
    }
}
