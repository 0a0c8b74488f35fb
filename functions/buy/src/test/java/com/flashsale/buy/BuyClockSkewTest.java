package com.flashsale.buy;

import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.token.PurchaseToken;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * docs/reliability.md row 12: the sale start is decided by Redis {@code TIME}, whatever the clock of the
 * function's container says. A sale five minutes ahead is refused although a container ten minutes
 * ahead believes it began; a sale a few seconds ahead is sold as soon as Redis reaches its start
 * (the request's {@code acceptedAt}, on Redis' clock, is never before it) although a container ten
 * minutes behind believes it is far off. The container's clock is only used for the token's expiry,
 * so the tokens here live longer than the skew (a container more than a token lifetime ahead refuses
 * every token as expired: it fails closed, see docs/reliability.md).
 */
@ExtendWith(RealServersExtension.class)
class BuyClockSkewTest {

    private static final Duration UNTIL_START = Duration.ofSeconds(3);

    @ParameterizedTest(name = "function clock {0} s off")
    @ValueSource(longs = {600, -600})
    void shouldDecideTheSaleStartByRedisTime_whenTheFunctionClockIsSkewed(long skewSeconds, RealServers realServers) {
        try (BuyFixture fixture = new BuyFixture(realServers, Map.of(SkewedClock.SKEW_SECONDS, skewSeconds))) {
            Clock functionClock = fixture.buy.context().getBean(Clock.class);
            assertThat(Duration.between(Instant.now(), functionClock.instant()).toSeconds())
                    .isCloseTo(skewSeconds, within(5L));
            // a cold handler's first call can take seconds on a busy machine: not inside the window under test
            fixture.buy.invoke(fixture.buyEvent("warm-up", TestServers.newProductId(), 1, "not-a-token"));
            String userId = "skewed-" + skewSeconds;

            // five minutes ahead on Redis' clock: a container ten minutes ahead believes it has begun
            Instant before = redisTime(fixture);
            ProductCard later = product(fixture, before.plus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.MILLIS));
            Reply early = fixture.buy.invoke(fixture.buyEvent(userId, later.productId(), 1,
                    longLivedToken(fixture, userId, later.productId(), functionClock)));
            assertThat(early.status()).isEqualTo(403);
            assertThat(early.error()).isEqualTo("SALE_NOT_STARTED");
            assertThat(Instant.parse(early.string("startsAt"))).isEqualTo(later.startsAt());
            assertThat(Instant.parse(early.string("serverTime"))).isBetween(before, redisTime(fixture));
            assertThat(fixture.servers.stock(later.productId())).isEqualTo(5);

            // in a few seconds on Redis' clock: a container ten minutes behind believes it is far off
            Instant startsAt = redisTime(fixture).plus(UNTIL_START).truncatedTo(ChronoUnit.MILLIS);
            ProductCard soon = product(fixture, startsAt);
            String token = longLivedToken(fixture, userId, soon.productId(), functionClock);
            List<Reply> refused = new ArrayList<>();
            Reply[] accepted = new Reply[1];
            await().atMost(UNTIL_START.plusSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                Reply reply = fixture.buy.invoke(fixture.buyEvent(userId, soon.productId(), 1, token));
                if (reply.status() == 202) {
                    accepted[0] = reply;
                    return true;
                }
                refused.add(reply);
                return false;
            });

            assertThat(refused).as("refused before the start on Redis' clock").allSatisfy(reply -> {
                assertThat(reply.status()).isEqualTo(403);
                assertThat(reply.error()).isEqualTo("SALE_NOT_STARTED");
                assertThat(Instant.parse(reply.string("startsAt"))).isEqualTo(startsAt);
                assertThat(Instant.parse(reply.string("serverTime"))).isBefore(startsAt);
            });
            String requestId = accepted[0].string("requestId");
            assertThat(requestId).startsWith(soon.productId());
            String acceptedAt = fixture.servers.redis().hget(RedisKeys.product(soon.productId()).request(requestId),
                    "acceptedAt");
            assertThat(Instant.ofEpochMilli(Long.parseLong(acceptedAt))).as("accepted on Redis' clock")
                    .isAfterOrEqualTo(startsAt);
            assertThat(fixture.servers.stock(soon.productId())).isEqualTo(4);
        }
    }

    private static ProductCard product(BuyFixture fixture, Instant startsAt) {
        return fixture.servers.preload(new ProductCard(TestServers.newProductId(), "phone", 99_900, 5, startsAt,
                startsAt.plus(Duration.ofHours(1)), 1));
    }

    private static Instant redisTime(BuyFixture fixture) {
        List<String> time = fixture.servers.redis().time();
        return Instant.ofEpochSecond(Long.parseLong(time.get(0)), Long.parseLong(time.get(1)) * 1_000);
    }

    /** A token that outlives the skew, on the function's clock. */
    private static String longLivedToken(BuyFixture fixture, String userId, String productId, Clock functionClock) {
        String nonce = UUID.randomUUID().toString();
        Instant expiresAt = functionClock.instant().plus(Duration.ofMinutes(2));
        return fixture.servers.codec().encode(new PurchaseToken(userId, productId, nonce, expiresAt));
    }
}
