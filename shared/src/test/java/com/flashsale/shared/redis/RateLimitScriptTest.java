package com.flashsale.shared.redis;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitScriptTest {

    private final RedisFixture fixture;

    RateLimitScriptTest(RealServers servers) {
        fixture = new RedisFixture(servers);
    }

    @AfterAll
    void close() {
        fixture.close();
    }

    private RateLimit.Decision take(RateLimit limit, String subject) {
        return fixture.gate.rateLimit(limit, subject).toCompletableFuture().join();
    }

    @Test
    void shouldAllowTheBurst_refuseTheNextCall_andAllowAgainAfterTheRefill() {
        RateLimit limit = new RateLimit("test-" + UUID.randomUUID(), 2, 5);

        for (int i = 0; i < 5; i++) {
            assertThat(take(limit, "u1").allowed()).as("call %d", i + 1).isTrue();
        }
        RateLimit.Decision refused = take(limit, "u1");

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterMs()).isBetween(1L, 500L);
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> take(limit, "u1").allowed());
    }

    @Test
    void shouldKeepSubjectsApart() {
        RateLimit limit = new RateLimit("test-" + UUID.randomUUID(), 1, 1);

        assertThat(take(limit, "a").allowed()).isTrue();
        assertThat(take(limit, "a").allowed()).isFalse();
        assertThat(take(limit, "b").allowed()).isTrue();
    }

    @Test
    void shouldNeverRefuseAUserWhoClicksOnceASecond_withTheDefaults() {
        RateLimit limit = new RateLimit("test-" + UUID.randomUUID(), 2, 10);
        String bucket = RedisKeys.rateLimit(limit.scope(), "u1");

        for (int click = 0; click < 20; click++) {
            // a click a second, simulated by ageing the bucket one second between calls
            assertThat(take(limit, "u1").allowed()).isTrue();
            long at = Long.parseLong(fixture.redis.hget(bucket, "at"));
            fixture.redis.hset(bucket, "at", Long.toString(at - 1000));
        }
        assertThat(fixture.redis.pttl(bucket)).isPositive();
    }
}
