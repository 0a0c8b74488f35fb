package com.flashsale.shared.redis;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseStockScriptTest {

    private final RedisFixture fixture;

    ReleaseStockScriptTest(RealServers servers) {
        fixture = fixtureOn(servers);
    }

    /** The Redis these tests run on: the standalone server here, the cluster in {@link ReleaseStockScriptOnClusterTest}. */
    RedisFixture fixtureOn(RealServers servers) {
        return new RedisFixture(servers);
    }

    @AfterAll
    void close() {
        fixture.close();
    }

    @Test
    void shouldGiveTheStockBackOnce_whenTheSameRequestIsReleasedTenTimesConcurrently() {
        String productId = fixture.productOnSale(5, 2).productId();
        Admission admission = fixture.admit(productId, "alice", 2, fixture.nonceFor(productId), null);

        List<CompletableFuture<Long>> releases = IntStream.range(0, 10)
                .mapToObj(i -> CompletableFuture.supplyAsync(() ->
                        fixture.gate.release(productId, admission.requestId(), "alice", 2).toCompletableFuture().join()))
                .toList();
        List<Long> results = releases.stream().map(CompletableFuture::join).toList();

        assertThat(results).containsOnlyOnce(1L).containsOnly(0L, 1L);
        assertThat(fixture.stock(productId)).isEqualTo(5);
        assertThat(fixture.redis.hget(RedisKeys.product(productId).buyers(), "alice")).isNull();
        assertThat(fixture.redis.ttl(RedisKeys.product(productId).released())).isPositive();
    }

    @Test
    void shouldRetireOnce_freeTheSlot_andNeverGiveTheStockBack_whenTheUnitNeverExisted() {
        String productId = fixture.productOnSale(5, 2).productId();
        Admission admission = fixture.admit(productId, "alice", 2, fixture.nonceFor(productId), null);

        List<Long> results = IntStream.range(0, 5)
                .mapToObj(i -> fixture.gate.retire(productId, admission.requestId(), "alice", 2).toCompletableFuture().join())
                .toList();
        long releaseAfterwards = fixture.gate.release(productId, admission.requestId(), "alice", 2)
                .toCompletableFuture().join();

        assertThat(results).containsExactly(1L, 0L, 0L, 0L, 0L);
        assertThat(releaseAfterwards).isZero();
        assertThat(fixture.stock(productId)).isEqualTo(3);
        RedisKeys keys = RedisKeys.product(productId);
        assertThat(fixture.redis.hget(keys.buyers(), "alice")).isNull();
        assertThat(fixture.redis.sismember(keys.released(), admission.requestId())).isTrue();
        assertThat(fixture.redis.ttl(keys.released())).isPositive();
    }

    @Test
    void shouldLetTheUserBuyAgain_afterTheirRequestWasReleased() {
        String productId = fixture.productOnSale(1, 1).productId();
        Admission first = fixture.admit(productId, "alice", 1, fixture.nonceFor(productId), null);
        fixture.gate.release(productId, first.requestId(), "alice", 1).toCompletableFuture().join();

        Admission again = fixture.admit(productId, "alice", 1, fixture.nonceFor(productId), null);

        assertThat(again.outcome()).isEqualTo(Admission.Outcome.ACCEPTED);
        assertThat(fixture.stock(productId)).isZero();
    }

    @Test
    void shouldKeepTheNewSlot_whenAnOldRequestOfTheSameUserIsReleasedLate() {
        String productId = fixture.productOnSale(3, 1).productId();
        Admission first = fixture.admit(productId, "alice", 1, fixture.nonceFor(productId), null);
        fixture.gate.release(productId, first.requestId(), "alice", 1).toCompletableFuture().join();
        Admission second = fixture.admit(productId, "alice", 1, fixture.nonceFor(productId), null);

        long again = fixture.gate.release(productId, first.requestId(), "alice", 1).toCompletableFuture().join();

        assertThat(again).isZero();
        assertThat(fixture.redis.hget(RedisKeys.product(productId).buyers(), "alice")).isEqualTo(second.requestId());
        assertThat(fixture.stock(productId)).isEqualTo(2);
    }

    @Test
    void shouldReleaseNothing_whenTheProductIsNotInRedis() {
        long result = fixture.gate.release(RedisFixture.newProductId(), "r", "u", 1).toCompletableFuture().join();

        assertThat(result).isEqualTo(-1);
    }
}
