package com.flashsale.shared.redis;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.redis.Admission.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmitPurchaseScriptTest {

    private final RedisFixture fixture;

    AdmitPurchaseScriptTest(RealServers servers) {
        fixture = fixtureOn(servers);
    }

    /** The Redis these tests run on: the standalone server here, the cluster in {@link AdmitPurchaseScriptOnClusterTest}. */
    RedisFixture fixtureOn(RealServers servers) {
        return new RedisFixture(servers);
    }

    @AfterAll
    void close() {
        fixture.close();
    }

    @Test
    void shouldAdmitExactlyTheStock_whenThousandsOfUsersRaceFrom64Threads() throws Exception {
        ProductCard product = fixture.productOnSale(100, 1);
        String productId = product.productId();
        RedisKeys keys = RedisKeys.product(productId);
        int attempts = 6_000;
        Map<String, String> acceptedByUser = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Admission> accepted = new ConcurrentLinkedQueue<>();
        AtomicLong lowestStockSeen = new AtomicLong(Long.MAX_VALUE);
        Map<Outcome, AtomicLong> outcomes = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);

        ExecutorService pool = Executors.newFixedThreadPool(64);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            // 1,500 distinct users, each trying about four times with a fresh token
            String userId = "u" + ThreadLocalRandom.current().nextInt(1_500);
            work.add(pool.submit(() -> {
                start.await();
                Admission admission = fixture.admit(productId, userId, 1, fixture.nonceFor(productId), null);
                outcomes.computeIfAbsent(admission.outcome(), o -> new AtomicLong()).incrementAndGet();
                if (admission.accepted()) {
                    accepted.add(admission);
                    assertThat(acceptedByUser.putIfAbsent(userId, admission.requestId())).isNull();
                    lowestStockSeen.accumulateAndGet(admission.stockLeft(), Math::min);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : work) {
            future.get();
        }
        pool.shutdown();

        assertThat(accepted.size()).isEqualTo(100);
        assertThat(acceptedByUser).hasSize(100);
        assertThat(lowestStockSeen.get()).isZero();
        assertThat(fixture.stock(productId)).isZero();
        assertThat(fixture.redis.xlen(keys.outbox())).isEqualTo(100);
        assertThat(fixture.redis.hlen(keys.buyers())).isEqualTo(100);
        assertThat(outcomes.keySet()).containsOnly(Outcome.ACCEPTED, Outcome.SOLD_OUT, Outcome.ALREADY_PURCHASED);
        for (Admission admission : accepted) {
            Map<String, String> state = fixture.redis.hgetall(keys.request(admission.requestId()));
            assertThat(state).containsEntry("status", "PENDING").containsEntry("productId", productId);
            assertThat(fixture.redis.ttl(keys.request(admission.requestId()))).isPositive();
        }
    }

    @Test
    void shouldReturnTheFirstRequestAndMoveNothing_whenTheIdempotencyKeyIsReplayed() {
        ProductCard product = fixture.productOnSale(10, 2);
        String productId = product.productId();

        Admission first = fixture.admit(productId, "alice", 2, fixture.nonceFor(productId), "key-1");
        Admission replayWithSpentToken = fixture.admit(productId, "alice", 2, "spent-or-not", "key-1");
        Admission replayOtherQuantity = fixture.admit(productId, "alice", 1, fixture.nonceFor(productId), "key-1");

        assertThat(first.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(replayWithSpentToken.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(replayWithSpentToken.requestId()).isEqualTo(first.requestId());
        assertThat(replayOtherQuantity.outcome()).isEqualTo(Outcome.IDEMPOTENCY_MISMATCH);
        assertThat(fixture.stock(productId)).isEqualTo(8);
        assertThat(fixture.redis.xlen(RedisKeys.product(productId).outbox())).isEqualTo(1);
        assertThat(fixture.redis.ttl(RedisKeys.product(productId).idempotency("alice", "key-1"))).isPositive();
    }

    @Test
    void shouldFindTheFirstRequestOfAKey_withoutMovingStock() {
        String productId = fixture.productOnSale(5, 2).productId();
        Admission first = fixture.admit(productId, "alice", 1, fixture.nonceFor(productId), "key-9");

        var same = fixture.gate.findFirstRequest(RedisFixture.attempt(productId, "alice", 1, "n", "key-9"))
                .toCompletableFuture().join();
        var otherQuantity = fixture.gate.findFirstRequest(RedisFixture.attempt(productId, "alice", 2, "n", "key-9"))
                .toCompletableFuture().join();
        var unknown = fixture.gate.findFirstRequest(RedisFixture.attempt(productId, "alice", 1, "n", "other"))
                .toCompletableFuture().join();

        assertThat(same).get().extracting(Admission::outcome, Admission::requestId)
                .containsExactly(Outcome.DUPLICATE, first.requestId());
        assertThat(otherQuantity).get().extracting(Admission::outcome).isEqualTo(Outcome.IDEMPOTENCY_MISMATCH);
        assertThat(unknown).isEmpty();
        assertThat(fixture.stock(productId)).isEqualTo(4);
    }

    @Test
    void shouldKeepTheKeyOfAnotherUserApart_whenTwoUsersSendTheSameIdempotencyKey() {
        String productId = fixture.productOnSale(10, 1).productId();

        Admission alice = fixture.admit(productId, "alice", 1, fixture.nonceFor(productId), "same");
        Admission bob = fixture.admit(productId, "bob", 1, fixture.nonceFor(productId), "same");

        assertThat(bob.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(bob.requestId()).isNotEqualTo(alice.requestId());
    }

    @Test
    void shouldRefuse_beforeAndAfterTheSaleWindow() {
        Instant now = Instant.now();
        ProductCard upcoming = fixture.load(new ProductCard(RedisFixture.newProductId(), "tv", 1000, 5,
                now.plusSeconds(600), now.plusSeconds(1200), 1));
        ProductCard over = fixture.load(new ProductCard(RedisFixture.newProductId(), "tv", 1000, 5,
                now.minusSeconds(1200), now.minusSeconds(600), 1));

        Admission early = fixture.admit(upcoming.productId(), "u", 1, "n", null);
        Admission late = fixture.admit(over.productId(), "u", 1, "n", null);

        assertThat(early.outcome()).isEqualTo(Outcome.SALE_NOT_STARTED);
        assertThat(early.startsAtMs()).isEqualTo(upcoming.startsAt().toEpochMilli());
        assertThat(early.serverTimeMs()).isBetween(now.toEpochMilli() - 5_000, now.toEpochMilli() + 5_000);
        assertThat(late.outcome()).isEqualTo(Outcome.SALE_ENDED);
        assertThat(fixture.stock(upcoming.productId())).isEqualTo(5);
        assertThat(fixture.stock(over.productId())).isEqualTo(5);
    }

    @Test
    void shouldRefuseAndKeepTheStock_whenTheNonceIsMissingOrAlreadySpent() {
        String productId = fixture.productOnSale(10, 1).productId();
        String nonce = fixture.nonceFor(productId);

        Admission none = fixture.admit(productId, "u1", 1, null, null);
        Admission first = fixture.admit(productId, "u1", 1, nonce, null);
        Admission reused = fixture.admit(productId, "u2", 1, nonce, null);

        assertThat(none.outcome()).isEqualTo(Outcome.INVALID_TOKEN);
        assertThat(first.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(reused.outcome()).isEqualTo(Outcome.INVALID_TOKEN);
        assertThat(fixture.stock(productId)).isEqualTo(9);
        // remembered past the token's expiry (a minute) by the grace for containers' clocks
        assertThat(fixture.redis.pttl(RedisKeys.product(productId).spentNonce(nonce))).isBetween(300_000L, 361_000L);
    }

    @Test
    void shouldRefuseRateLimitedWithoutTakingFromEitherBucket_whenTheUserBucketIsEmpty() {
        String productId = fixture.productOnSale(100, 1).productId();
        RedisKeys keys = RedisKeys.product(productId);
        RateLimit perUser = new RateLimit("buy-user", 0.5, 2);
        RateLimit perIp = new RateLimit("buy-ip", 0.001, 200); // refills too slowly to blur the count

        List<Admission> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add(fixture.admit(RedisFixture.attempt(productId, "eager", 1, fixture.nonceFor(productId), null),
                    perUser, perIp));
        }

        assertThat(answers).extracting(Admission::outcome)
                .containsExactly(Outcome.ACCEPTED, Outcome.ALREADY_PURCHASED, Outcome.RATE_LIMITED);
        assertThat(answers.get(2).retryAfterMs()).isBetween(1L, 2_000L);
        assertThat(answers.get(2).rateLimit().retryAfterSeconds()).isBetween(1L, 2L);
        // both buckets are in the product's slot; the IP's was taken twice, not three times
        assertThat(Double.parseDouble(fixture.redis.hget(keys.buyRateLimit("buy-ip", "10.0.0.1"), "tokens")))
                .isCloseTo(198, org.assertj.core.data.Offset.offset(0.5));
        assertThat(fixture.redis.pttl(keys.buyRateLimit("buy-user", "eager"))).isBetween(1L, 5_000L);
        assertThat(fixture.stock(productId)).isEqualTo(99);
    }

    @Test
    void shouldRefuseSalePausedAndMoveNothing_whilePaused_andAdmitAfterResume() {
        String productId = fixture.productOnSale(5, 1).productId();

        fixture.gate.setPaused(productId, true).toCompletableFuture().join();
        Admission paused = fixture.admit(productId, "u1", 1, fixture.nonceFor(productId), null);
        fixture.gate.setPaused(productId, false).toCompletableFuture().join();
        Admission resumed = fixture.admit(productId, "u1", 1, fixture.nonceFor(productId), null);

        assertThat(paused.outcome()).isEqualTo(Outcome.SALE_PAUSED);
        assertThat(resumed.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(fixture.stock(productId)).isEqualTo(4);
    }

    @Test
    void shouldKeepTheTokenUnspent_whenTheRequestIsRefused() {
        String productId = fixture.productOnSale(1, 1).productId();
        fixture.admit(productId, "winner", 1, fixture.nonceFor(productId), null);
        String nonce = fixture.nonceFor(productId);

        Admission soldOut = fixture.admit(productId, "late", 1, nonce, null);

        assertThat(soldOut.outcome()).isEqualTo(Outcome.SOLD_OUT);
        assertThat(fixture.redis.exists(RedisKeys.product(productId).spentNonce(nonce))).isZero();
    }

    @Test
    void shouldRefuse_whenTheQuantityIsOverTheLimitOrTheStock() {
        String productId = fixture.productOnSale(3, 2).productId();

        Admission overLimit = fixture.admit(productId, "u1", 3, fixture.nonceFor(productId), null);
        Admission taken = fixture.admit(productId, "u2", 2, fixture.nonceFor(productId), null);
        Admission overStock = fixture.admit(productId, "u3", 2, fixture.nonceFor(productId), null);

        assertThat(overLimit.outcome()).isEqualTo(Outcome.QUANTITY_OVER_LIMIT);
        assertThat(overLimit.limitPerUser()).isEqualTo(2);
        assertThat(taken.stockLeft()).isEqualTo(1);
        assertThat(overStock.outcome()).isEqualTo(Outcome.SOLD_OUT);
        assertThat(fixture.stock(productId)).isEqualTo(1);
    }

    @Test
    void shouldAnswerNotFound_forAProductThatWasNeverLoaded() {
        Admission admission = fixture.admit(RedisFixture.newProductId(), "u", 1, "n", null);

        assertThat(admission.outcome()).isEqualTo(Outcome.NOT_FOUND);
    }
}
