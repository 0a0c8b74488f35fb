package com.flashsale.token;

import com.flashsale.http.ClusterTestServers;
import com.flashsale.http.Events;
import com.flashsale.http.LambdaHarness;
import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.CommandStats;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RedisServer;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.token.PurchaseToken;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The token function on micronaut-test's context. The rate-limit and Redis-down cases each start a
 * second container beside it, with their own settings.
 */
@MicronautTest
class TokenHandlerTest extends TokenFunctionTest {

    TokenHandlerTest(RealServers realServers) {
        super(realServers);
    }

    private Reply requestToken(String userId, String productId) {
        return handler().invoke(Events.user(userId).post("/api/flash-sale/token", "{\"productId\":\"" + productId + "\"}"));
    }

    @Test
    void shouldIssueBoundTokenWritingNothingToTheProductSlot_whenProductOnSale() throws Exception {
        ProductCard product = servers.productOnSale(10, 1);
        Map<String, String> before = servers.productState(product.productId());

        Reply reply = requestToken("alice", product.productId());

        assertThat(reply.status()).isEqualTo(200);
        Instant expiresAt = Instant.parse(reply.string("expiresAt"));
        assertThat(expiresAt).isBetween(Instant.now().plusSeconds(50), Instant.now().plusSeconds(70));
        PurchaseToken verified = servers.codec().verify(reply.string("token"), "alice", product.productId(), Instant.now());
        assertThat(verified.nonce()).hasSizeGreaterThanOrEqualTo(22);
        assertThat(servers.productState(product.productId())).as("the product's keys").isEqualTo(before);
    }

    @Test
    void shouldCostTheProductShardNoCommand_whenACrowdAsksForTokensAfterSellOut() {
        try (ClusterTestServers cluster = new ClusterTestServers(realServers)) {
            String ip = "203.0.113.7";
            ProductCard product = cluster.productOnSaleApartFrom(1, RedisKeys.rateLimit("token-ip", ip),
                    RedisKeys.denyListVersion());
            cluster.redis().set(RedisKeys.product(product.productId()).stock(), "0", io.lettuce.core.SetArgs.Builder.keepttl());
            Map<String, Object> properties = cluster.properties();
            properties.putAll(CROWD_RATE_LIMITS);
            // one card for the whole run: what is counted is the crowd, not the card's once-a-second probe
            properties.put("flashsale.product-cache-ttl", "60s");
            try (LambdaHarness onCluster = TokenFunctionTest.harness(properties)) {
                java.util.function.IntFunction<Reply> crowd = i -> onCluster.invoke(Events.user("crowd-" + i).from(ip)
                        .post("/api/flash-sale/token", "{\"productId\":\"" + product.productId() + "\"}"));
                assertThat(crowd.apply(-1).error()).as("the card's first probe").isEqualTo("SOLD_OUT");
                CommandStats before = cluster.productShard(product.productId());

                for (int i = 0; i < 200; i++) {
                    assertThat(crowd.apply(i).error()).isEqualTo("SOLD_OUT");
                }

                assertThat(cluster.productShard(product.productId()).workByCommandSince(before))
                        .as("commands on the product's shard for 200 token requests after sell-out").isEmpty();
            }
        }
    }

    @Test
    void shouldRefuseSalePausedWithinASecond_whenAnAdminPauses_andIssueAgainAfterResume() {
        ProductCard product = servers.productOnSale(10, 1);
        assertThat(requestToken("paula", product.productId()).status()).isEqualTo(200);

        servers.gate().setPaused(product.productId(), true).toCompletableFuture().join();
        long paused = System.nanoTime();
        await().atMost(Duration.ofMillis(1_500)).pollInterval(Duration.ofMillis(20))
                .until(() -> "SALE_PAUSED".equals(requestToken("paula", product.productId()).error()));
        Duration refusedAfter = Duration.ofNanos(System.nanoTime() - paused);
        servers.gate().setPaused(product.productId(), false).toCompletableFuture().join();

        assertThat(refusedAfter).isLessThanOrEqualTo(Duration.ofMillis(1_200));
        await().atMost(Duration.ofMillis(1_500)).pollInterval(Duration.ofMillis(20))
                .until(() -> requestToken("paula", product.productId()).status() == 200);
    }

    @Test
    void shouldAnswerUserBlocked_whileTheUserIsOnTheDenyList() {
        ProductCard product = servers.productOnSale(10, 1);
        String user = "bot-" + TestServers.newProductId();
        servers.gate().setDenied(user, true).toCompletableFuture().join();

        await().atMost(Duration.ofMillis(1_500)).pollInterval(Duration.ofMillis(20))
                .until(() -> "USER_BLOCKED".equals(requestToken(user, product.productId()).error()));
        Reply blocked = requestToken(user, product.productId());
        servers.gate().setDenied(user, false).toCompletableFuture().join();

        assertThat(blocked.status()).isEqualTo(403);
        await().atMost(Duration.ofMillis(1_500)).pollInterval(Duration.ofMillis(20))
                .until(() -> requestToken(user, product.productId()).status() == 200);
    }

    @Test
    void shouldAnswer401_whenNoJwtClaims() {
        Reply reply = handler().invoke(Events.anonymous().post("/api/flash-sale/token", "{\"productId\":\"p1\"}"));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.error()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void shouldAnswer401WithJsonAndIssueNoToken_whenSubHoldsANul() {
        ProductCard product = servers.productOnSale(10, 1);
        var keysBefore = servers.redis().keys(RedisKeys.product(product.productId()).pattern());

        Reply reply = requestToken("mallory\u0000", product.productId());

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.error()).isEqualTo("UNAUTHORIZED");
        assertThat(reply.string("message")).isNotBlank();
        assertThat(servers.redis().keys(RedisKeys.product(product.productId()).pattern()))
                .containsExactlyInAnyOrderElementsOf(keysBefore);
    }

    @Test
    void shouldAnswerNotFound_whenProductNotPreloaded() {
        Reply reply = requestToken("bob", TestServers.newProductId());

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.error()).isEqualTo("NOT_FOUND");
    }

    @Test
    void shouldAnswerSaleNotStarted_whenBeforeStart() {
        Instant now = Instant.now();
        ProductCard product = servers.preload(new ProductCard(TestServers.newProductId(), "tv", 5_000, 5,
                now.plusSeconds(600), now.plusSeconds(1200), 1));

        Reply reply = requestToken("carol", product.productId());

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.error()).isEqualTo("SALE_NOT_STARTED");
        assertThat(reply.body()).containsKeys("startsAt", "serverTime");
    }

    @Test
    void shouldAnswerSaleEnded_whenAfterEnd() {
        Instant now = Instant.now();
        ProductCard product = servers.preload(new ProductCard(TestServers.newProductId(), "tv", 5_000, 5,
                now.minusSeconds(1200), now.minusSeconds(600), 1));

        Reply reply = requestToken("dave", product.productId());

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.error()).isEqualTo("SALE_ENDED");
    }

    @Test
    void shouldAnswerSoldOut_whenNoStockLeft() {
        ProductCard product = servers.productOnSale(1, 1);
        servers.redis().set(RedisKeys.product(product.productId()).stock(), "0", io.lettuce.core.SetArgs.Builder.keepttl());

        Reply reply = requestToken("erin", product.productId());

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.error()).isEqualTo("SOLD_OUT");
    }

    @Test
    void shouldAnswerRateLimitedWithRetryAfter_whenUserClicksTooFast() {
        ProductCard product = servers.productOnSale(10, 1);
        Map<String, Object> properties = servers.redisProperties();
        properties.put("flashsale.rate-limit.user.per-second", 0.01);
        properties.put("flashsale.rate-limit.user.burst", 2);
        try (LambdaHarness strict = TokenFunctionTest.harness(properties)) {
            strict.invoke(Events.user("frank").post("/api/flash-sale/token", "{\"productId\":\"" + product.productId() + "\"}"));
            strict.invoke(Events.user("frank").post("/api/flash-sale/token", "{\"productId\":\"" + product.productId() + "\"}"));

            Reply reply = strict.invoke(Events.user("frank").post("/api/flash-sale/token",
                    "{\"productId\":\"" + product.productId() + "\"}"));

            assertThat(reply.status()).isEqualTo(429);
            assertThat(reply.error()).isEqualTo("RATE_LIMITED");
            assertThat(reply.headers()).containsKey("retry-after");
        }
    }

    @Test
    void shouldNeverRefuse_whenUserClicksOnceASecondWithDefaults() {
        ProductCard product = servers.productOnSale(10, 1);

        // 15 clicks a second apart would take 15 s; the bucket's burst of 10 plus 2/s refill covers
        // any once-a-second rhythm, so 10 immediate clicks must all pass as well
        for (int i = 0; i < 10; i++) {
            assertThat(requestToken("gina", product.productId()).status()).isEqualTo(200);
        }
    }

    @Test
    void shouldAnswerUnavailable_whenItsLiveRedisDies_andRecoverWhenItComesBack() {
        RedisServer redis = RedisServer.start(realServers.workDirectory("token-redis-dies"));
        Map<String, Object> properties = servers.redisProperties();
        properties.put("redis.uri", redis.uri());
        // a new product id for each call: the container remembers products, found or not
        java.util.function.Supplier<Events> request = () -> Events.user("ivan").post("/api/flash-sale/token",
                "{\"productId\":\"" + TestServers.newProductId() + "\"}");
        try (LambdaHarness own = TokenFunctionTest.harness(properties)) {
            assertThat(own.invoke(request.get()).status())
                    .as("connected: a product this Redis never had is not found").isEqualTo(404);

            redis.stop(); // the connection the function holds dies under it
            Reply reply = own.invoke(request.get());
            redis.start();

            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.error()).isEqualTo("UNAVAILABLE");
            // Redis back: the function reconnects by itself
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> own.invoke(request.get()).status() == 404);
        } finally {
            redis.stop();
        }
    }

    @Test
    void shouldAnswerInvalidRequest_whenBodyMalformed() {
        Reply reply = handler().invoke(Events.user("hank").post("/api/flash-sale/token", "{\"productId\":"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("INVALID_REQUEST");
    }

}
