package com.flashsale.result;

import com.flashsale.http.Events;
import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RequestIds;
import io.micronaut.crac.test.CheckpointSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/reliability.md row 14: a result container after a SnapStart restore. Before the checkpoint the
 * Hikari pool (micronaut-crac, allow-pool-suspension) is emptied, as PostgreSQL itself sees it;
 * after the restore a read hits PostgreSQL again. (The Redis connection: shared's
 * RedisConnectionRestoreTest and buy's BuyRestoreTest.)
 */
@ExtendWith(RealServersExtension.class)
class ResultRestoreTest {

    @Test
    void shouldEmptyThePool_beforeCheckpoint_andReadPostgres_afterRestore(RealServers realServers) {
        try (ResultFixture fixture = new ResultFixture(realServers)) {
            CheckpointSimulator simulator = fixture.result.context().getBean(CheckpointSimulator.class);
            ProductCard product = fixture.insertProduct(fixture.servers.productOnSale(10, 1), 9);
            String before = order(fixture, product, "before");
            assertThat(read(fixture, before).status()).isEqualTo(200);
            assertThat(fixture.servers.databaseConnections(fixture.database)).isPositive();

            simulator.runBeforeCheckpoint();

            await().atMost(Duration.ofSeconds(10)).until(() -> fixture.servers.databaseConnections(fixture.database) == 0);

            simulator.runAfterRestore();
            String after = order(fixture, product, "after");
            Reply reply = read(fixture, after);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).containsEntry("orderId", after).containsEntry("status", "PENDING_PAYMENT");
            assertThat(fixture.servers.databaseConnections(fixture.database)).isPositive();
        }
    }

    private static String order(ResultFixture fixture, ProductCard product, String userId) {
        String orderId = "o-" + userId + "-" + System.nanoTime();
        fixture.insertOrder(orderId, RequestIds.newRequestId(product.productId()), product, userId);
        return orderId;
    }

    private static Reply read(ResultFixture fixture, String orderId) {
        String userId = orderId.split("-")[1];
        return fixture.result.invoke(Events.user(userId).get("/api/orders/" + orderId));
    }
}
