package com.flashsale.result;

import com.flashsale.http.DependencyBreakers;
import com.flashsale.http.Events;
import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.PostgresServer;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.local.servers.RedisServer;
import com.flashsale.shared.redis.RequestIds;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A dependency that is down is known to be down: after a few calls in a row fail, its breaker opens
 * and the function answers 503 UNAVAILABLE without calling it (counted by the breaker's events:
 * calls that went out and failed, calls not let through); once it is back, a probe closes the breaker.
 */
@ExtendWith(RealServersExtension.class)
class ResultBreakerTest {

    private static final int FAILURES = 3;
    private static final int REQUESTS = 10;

    @Test
    void shouldAnswer503WithoutCallingRedis_onceItsBreakerOpened_andRecover_whenRedisIsBack(RealServers realServers) {
        RedisServer redis = RedisServer.start(realServers.workDirectory("result-breaker-redis"));
        try (ResultFixture fixture = new ResultFixture(realServers, Map.of("redis.uri", redis.uri(), "redis.timeout", "1s",
                "flashsale.breaker.failures", FAILURES, "flashsale.breaker.open-for", "1s"))) {
            String result = "/api/flash-sale/result/" + RequestIds.newRequestId(TestServers.newProductId());
            assertThat(fixture.result.invoke(Events.user("alice").get(result)).status()).as("connected").isEqualTo(404);
            CircuitBreaker breaker = fixture.result.context().getBean(DependencyBreakers.class).redis();
            Calls calls = new Calls(breaker);

            redis.stop(); // the connection the function holds dies under it
            List<Reply> down = new ArrayList<>();
            try {
                for (int i = 0; i < REQUESTS; i++) {
                    down.add(fixture.result.invoke(Events.user("alice").get(result)));
                }
            } finally {
                redis.start();
            }

            assertThat(down).extracting(Reply::status).containsOnly(503);
            assertThat(down).extracting(Reply::error).containsOnly("UNAVAILABLE");
            // one more may go out while the last failure is being recorded (a timeout on another thread)
            assertThat(calls.failed.get()).as("commands sent to the dead Redis").isBetween(FAILURES, FAILURES + 1);
            assertThat(calls.refused.get()).as("commands the open breaker kept back").isGreaterThanOrEqualTo(REQUESTS - 2);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    fixture.result.invoke(Events.user("alice").get(result)).status() == 404);
            assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        } finally {
            redis.stop();
        }
    }

    @Test
    void shouldAnswer503WithoutCallingPostgres_onceItsBreakerOpened_andRecover_whenPostgresIsBack(RealServers realServers) {
        assumeTrue(realServers.postgres().isPresent(), "stops PostgreSQL: skipped on an existing server");
        PostgresServer postgres = realServers.postgres().get();
        try (ResultFixture fixture = new ResultFixture(realServers, Map.of("datasources.default.connection-timeout", 1000,
                "flashsale.breaker.failures", FAILURES, "flashsale.breaker.open-for", "1s"))) {
            assertThat(fixture.result.invoke(Events.user("alice").get("/api/orders/o-" + UUID.randomUUID())).status())
                    .as("connected").isEqualTo(404);
            CircuitBreaker breaker = fixture.result.context().getBean(DependencyBreakers.class).postgres();
            Calls calls = new Calls(breaker);

            postgres.stop();
            List<Reply> down = new ArrayList<>();
            try {
                for (int i = 0; i < REQUESTS; i++) {
                    down.add(fixture.result.invoke(Events.user("alice").get("/api/orders/o-" + UUID.randomUUID())));
                }
            } finally {
                postgres.start();
            }

            assertThat(down).extracting(Reply::status).containsOnly(503);
            assertThat(down).extracting(Reply::error).containsOnly("UNAVAILABLE");
            assertThat(calls.failed.get()).as("reads sent to the dead Postgres").isEqualTo(FAILURES);
            assertThat(calls.refused.get()).as("reads the open breaker kept back").isEqualTo(REQUESTS - FAILURES);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    fixture.result.invoke(Events.user("alice").get("/api/orders/o-" + UUID.randomUUID())).status() == 404);
            assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        }
    }

    /** What a breaker saw from now on: calls that went out and failed, calls it refused. */
    private static final class Calls {
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();

        Calls(CircuitBreaker breaker) {
            breaker.getEventPublisher().onError(event -> failed.incrementAndGet());
            breaker.getEventPublisher().onCallNotPermitted(event -> refused.incrementAndGet());
        }
    }
}
