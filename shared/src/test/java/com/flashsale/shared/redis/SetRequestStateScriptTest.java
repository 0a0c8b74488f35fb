package com.flashsale.shared.redis;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.event.RequestStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SetRequestStateScriptTest {

    private final RedisFixture fixture;

    SetRequestStateScriptTest(RealServers servers) {
        fixture = new RedisFixture(servers);
    }

    @AfterAll
    void close() {
        fixture.close();
    }

    private boolean set(String productId, String requestId, RequestStatus status, String orderId, String reason) {
        return fixture.gate.setRequestState(new RequestState(requestId, productId, "alice", 1, status, orderId, reason))
                .toCompletableFuture().join();
    }

    @Test
    void shouldMoveForwardOnce_andNeverBackOrBetweenFinalStates() {
        String productId = fixture.productOnSale(5, 1).productId();
        String requestId = fixture.admit(productId, "alice", 1, fixture.nonceFor(productId), null).requestId();
        String key = RedisKeys.product(productId).request(requestId);

        boolean toSuccess = set(productId, requestId, RequestStatus.SUCCESS, "o-1", null);
        boolean backToPending = set(productId, requestId, RequestStatus.PENDING, null, null);
        boolean toFailed = set(productId, requestId, RequestStatus.FAILED, null, "SOLD_OUT");

        assertThat(toSuccess).isTrue();
        assertThat(backToPending).isFalse();
        assertThat(toFailed).isFalse();
        assertThat(fixture.redis.hgetall(key))
                .containsEntry("status", "SUCCESS").containsEntry("orderId", "o-1").doesNotContainKey("reason");
    }

    @Test
    void shouldRebuildAStateRedisHasLost() {
        String productId = RedisFixture.newProductId();
        String requestId = RequestIds.newRequestId(productId);

        boolean written = set(productId, requestId, RequestStatus.FAILED, null, "SOLD_OUT");

        assertThat(written).isTrue();
        String key = RedisKeys.product(productId).request(requestId);
        assertThat(fixture.redis.hgetall(key)).containsEntry("status", "FAILED").containsEntry("reason", "SOLD_OUT")
                .containsEntry("userId", "alice").containsEntry("quantity", "1");
        assertThat(fixture.redis.ttl(key)).isPositive();
    }
}
