package com.flashsale.shared.redis;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.event.RequestStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ElastiCache's default policy, volatile-lru, may evict any key with a TTL, and a key without one
 * would outlive its sale for ever: locally (and in the parameter group) Redis runs noeviction, and
 * every key of a sale carries a TTL after every script path, none beyond the sale's own expiry.
 */
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SaleKeysExpireTest {

    private final RedisFixture fixture;

    SaleKeysExpireTest(RealServers servers) {
        fixture = new RedisFixture(servers);
    }

    @AfterAll
    void close() {
        fixture.close();
    }

    /** Each key of the product with its TTL in ms (-1: none); all must be between 0 and the sale's expiry. */
    private Map<String, Long> ttls(String productId) {
        Map<String, Long> ttls = new TreeMap<>();
        for (String key : fixture.redis.keys(RedisKeys.product(productId).pattern())) {
            ttls.put(key, fixture.redis.pttl(key));
        }
        return ttls;
    }

    private void assertEveryKeyExpires(ProductCard product, String afterStep) {
        // the fixture loads keys to expire one day after the sale's end; request states after an hour. Whole
        // milliseconds, as Redis counts a TTL: a horizon from a finer clock could fall 1 ms short of it
        long horizon = Duration.between(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                product.endsAt().plus(Duration.ofDays(1))).toMillis();
        assertThat(ttls(product.productId())).as("TTL in ms of each key after %s", afterStep)
                .isNotEmpty().allSatisfy((key, ttl) -> assertThat(ttl).as(key).isPositive().isLessThanOrEqualTo(horizon));
    }

    @Test
    void shouldRefuseTheWholeAdmissionAndChangeNothing_whenRedisIsOutOfMemory() {
        String productId = fixture.productOnSale(10, 1).productId();
        String nonce = fixture.nonceFor(productId);
        Map<String, Long> before = ttls(productId);
        Map<String, String> settings = new java.util.HashMap<>(fixture.redis.configGet("maxmemory")); // one per call on Redis 6
        settings.putAll(fixture.redis.configGet("maxmemory-policy"));
        fixture.redis.configSet("maxmemory-policy", "noeviction");
        fixture.redis.configSet("maxmemory", "1");
        try {
            assertThatThrownBy(() -> fixture.admit(productId, "alice", 1, nonce, "idem-oom"))
                    .hasMessageContaining("OOM");
        } finally {
            fixture.redis.configSet("maxmemory", settings.get("maxmemory"));
            fixture.redis.configSet("maxmemory-policy", settings.get("maxmemory-policy"));
        }

        assertThat(fixture.stock(productId)).isEqualTo(10);
        assertThat(ttls(productId).keySet()).isEqualTo(before.keySet());
        assertThat(fixture.admit(productId, "alice", 1, nonce, "idem-oom").outcome()).isEqualTo(Admission.Outcome.ACCEPTED);
    }

    @Test
    void shouldGiveEveryKeyOfTheSaleATtl_afterEveryScriptPath() {
        ProductCard product = fixture.productOnSale(10, 1);
        String productId = product.productId();
        RedisKeys keys = RedisKeys.product(productId);
        assertEveryKeyExpires(product, "preload");

        String nonce = fixture.nonceFor(productId);
        fixture.nonceFor(productId);
        assertEveryKeyExpires(product, "token nonces");

        Admission alice = fixture.admit(productId, "alice", 1, nonce, "idem-1");
        Admission bob = fixture.admit(productId, "bob", 1, fixture.nonceFor(productId), null);
        Admission carol = fixture.admit(productId, "carol", 1, fixture.nonceFor(productId), "idem-2");
        Admission dave = fixture.admit(productId, "dave", 1, fixture.nonceFor(productId), null);
        fixture.admit(productId, "alice", 1, fixture.nonceFor(productId), "idem-1");
        fixture.admit(RedisFixture.attempt(productId, "erin", 1, fixture.nonceFor(productId), null),
                new RateLimit("buy-user", 2, 10), new RateLimit("buy-ip", 50, 200));
        assertEveryKeyExpires(product, "admissions, their buy buckets and a replay");

        fixture.gate.setRequestState(new RequestState(alice.requestId(), productId, "alice", 1, RequestStatus.SUCCESS,
                "o-1", null)).toCompletableFuture().join();
        fixture.redis.del(keys.request(bob.requestId()));
        fixture.gate.setRequestState(new RequestState(bob.requestId(), productId, "bob", 1, RequestStatus.FAILED,
                null, "ALREADY_PURCHASED")).toCompletableFuture().join();
        assertEveryKeyExpires(product, "state changes, one of a state Redis had lost");

        fixture.gate.release(productId, bob.requestId(), "bob", 1).toCompletableFuture().join();
        fixture.gate.retire(productId, carol.requestId(), "carol", 1).toCompletableFuture().join();
        fixture.gate.retireStock(productId, fixture.stock(productId), 1).toCompletableFuture().join();
        assertEveryKeyExpires(product, "a release, a retirement and stock retired");

        // the meta lost (a partial loss): the released set still expires, with the stock
        fixture.redis.del(keys.meta(), keys.released());
        fixture.gate.release(productId, dave.requestId(), "dave", 1).toCompletableFuture().join();
        assertEveryKeyExpires(product, "a release after the meta was lost");

        fixture.load(product);
        assertEveryKeyExpires(product, "the meta loaded again beside the surviving stock");
        assertThat(fixture.redis.exists(keys.outbox(), keys.buyers(), keys.idempotency("alice", "idem-1"),
                keys.request(alice.requestId()), keys.released(), keys.spentNonce(nonce),
                keys.buyRateLimit("buy-user", "erin"))).as("keys the sale wrote").isEqualTo(7);
    }
}
