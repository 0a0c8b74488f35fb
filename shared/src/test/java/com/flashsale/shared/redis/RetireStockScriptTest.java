package com.flashsale.shared.redis;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetireStockScriptTest {

    private final RedisFixture fixture;

    RetireStockScriptTest(RealServers servers) {
        fixture = new RedisFixture(servers);
    }

    @AfterAll
    void close() {
        fixture.close();
    }

    @Test
    void shouldTakeTheExcessOut_whenTheStockIsStillTheOneObserved() {
        String productId = fixture.productOnSale(10, 1).productId();

        assertThat(retire(productId, 10, 3)).isEqualTo(7);
        assertThat(fixture.stock(productId)).isEqualTo(7);
    }

    @Test
    void shouldChangeNothing_whenTheStockMovedSinceTheObservation() {
        String productId = fixture.productOnSale(10, 1).productId();
        fixture.admit(productId, "alice", 1, fixture.nonceFor(productId), null);

        assertThat(retire(productId, 10, 3)).isEqualTo(-1);
        assertThat(fixture.stock(productId)).isEqualTo(9);
    }

    @Test
    void shouldChangeNothing_whenTheExcessIsNotBetweenOneAndTheStock_orTheKeysAreGone() {
        String productId = fixture.productOnSale(2, 1).productId();

        assertThat(retire(productId, 2, 3)).isEqualTo(-1);
        assertThat(retire(productId, 2, 0)).isEqualTo(-1);
        assertThat(retire(productId, 2, -1)).isEqualTo(-1);
        assertThat(fixture.stock(productId)).isEqualTo(2);
        assertThat(retire(RedisFixture.newProductId(), 0, 1)).isEqualTo(-1);
    }

    private long retire(String productId, long observed, long excess) {
        return fixture.gate.retireStock(productId, observed, excess).toCompletableFuture().join();
    }
}
