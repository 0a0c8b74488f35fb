package com.flashsale.result;

import com.flashsale.http.Events;
import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.redis.RequestIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The read routes' buckets: per user and per address on results and orders, per address on product pages. */
@ExtendWith(RealServersExtension.class)
class ResultRateLimitTest {

    private static final Map<String, Object> TIGHT_LIMITS = Map.of(
            "flashsale.rate-limit.user.per-second", 0.01, "flashsale.rate-limit.user.burst", 2,
            "flashsale.rate-limit.ip.per-second", 0.01, "flashsale.rate-limit.ip.burst", 2);

    @Test
    void shouldAnswer429WithRetryAfter_whenAUserOrAnAddressAsksTooOften(RealServers realServers) {
        try (ResultFixture fixture = new ResultFixture(realServers, TIGHT_LIMITS)) {
            String result = "/api/flash-sale/result/" + RequestIds.newRequestId(TestServers.newProductId());
            String order = "/api/orders/o-unknown";

            Reply first = fixture.result.invoke(Events.user("ann").get(result).from("10.2.0.1"));
            Reply second = fixture.result.invoke(Events.user("ann").get(order).from("10.2.0.2"));
            Reply userOver = fixture.result.invoke(Events.user("ann").get(result).from("10.2.0.3"));
            Reply otherUser = fixture.result.invoke(Events.user("ben").get(order).from("10.2.0.1"));
            Reply addressOver = fixture.result.invoke(Events.user("cid").get(result).from("10.2.0.1"));

            assertThat(first.status()).isEqualTo(404);
            assertThat(second.status()).isEqualTo(404);
            assertThat(otherUser.status()).isEqualTo(404);
            for (Reply refused : new Reply[] {userOver, addressOver}) {
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.error()).isEqualTo("RATE_LIMITED");
                assertThat(Long.parseLong(refused.headers().get("retry-after"))).isPositive();
            }
        }
    }

    @Test
    void shouldAnswer429_whenAnAddressViewsProductPagesTooOften(RealServers realServers) {
        try (ResultFixture fixture = new ResultFixture(realServers, TIGHT_LIMITS)) {
            String page = "/api/products/" + TestServers.newProductId();
            for (int i = 0; i < 2; i++) {
                assertThat(fixture.result.invoke(Events.anonymous().get(page).from("10.3.0.1")).status()).isEqualTo(404);
            }

            Reply over = fixture.result.invoke(Events.anonymous().get(page).from("10.3.0.1"));
            Reply elsewhere = fixture.result.invoke(Events.anonymous().get(page).from("10.3.0.2"));

            assertThat(over.status()).isEqualTo(429);
            assertThat(over.error()).isEqualTo("RATE_LIMITED");
            assertThat(over.headers()).containsKey("retry-after");
            assertThat(elsewhere.status()).isEqualTo(404);
        }
    }
}
