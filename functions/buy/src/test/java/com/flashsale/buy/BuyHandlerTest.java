package com.flashsale.buy;

import com.flashsale.http.ClusterTestServers;
import com.flashsale.http.Events;
import com.flashsale.http.LambdaHarness;
import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.TestServers;
import com.flashsale.http.TopicReader;
import com.flashsale.local.servers.CommandStats;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RedisServer;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RedisKeys;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The buy function on micronaut-test's context. The rate-limit and Redis-down cases each start a
 * second container beside it, with their own settings.
 */
@MicronautTest
class BuyHandlerTest extends BuyTest {

    BuyHandlerTest(RealServers realServers) {
        super(realServers);
    }

    @Test
    void shouldAcceptAndPublish_whenTokenValidAndStockLeft() {
        ProductCard product = servers.productOnSale(10, 1);

        Reply reply = fixture.buy("alice", product.productId(), 1);

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.string("status")).isEqualTo("PENDING");
        assertThat(reply.string("requestId")).startsWith(product.productId() + ".");
        assertThat(servers.stock(product.productId())).isEqualTo(9);
        // the outbox entry goes once Kafka acknowledged, without the buyer waiting for it
        await().atMost(Duration.ofSeconds(10)).until(() -> servers.outboxLength(product.productId()) == 0);
        try (TopicReader reader = new TopicReader(realServers.kafkaBootstrapServers(), topic)) {
            String requestId = reply.string("requestId");
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.poll().stream()
                    .anyMatch(r -> r.value().contains(requestId)));
            var record = reader.poll().stream().filter(r -> r.value().contains(requestId)).findFirst().orElseThrow();
            assertThat(record.key()).isEqualTo(product.productId() + "/alice");
            assertThat(record.value()).contains(reply.string("requestId")).contains("\"quantity\":1");
        }
    }

    @Test
    void shouldRefuseWithInvalidToken_whenTokenUsedTwice() {
        ProductCard product = servers.productOnSale(10, 2);
        String token = servers.token("bob", product.productId());
        fixture.buy.invoke(fixture.buyEvent("bob", product.productId(), 1, token));

        Reply second = fixture.buy.invoke(fixture.buyEvent("bob", product.productId(), 1, token));

        assertThat(second.status()).isEqualTo(403);
        assertThat(second.error()).isEqualTo("INVALID_TOKEN");
        assertThat(servers.stock(product.productId())).isEqualTo(9);
    }

    @Test
    void shouldRefuseWithInvalidToken_whenTokenOfAnotherUser() {
        ProductCard product = servers.productOnSale(10, 1);
        String token = servers.token("carol", product.productId());

        Reply reply = fixture.buy.invoke(fixture.buyEvent("mallory", product.productId(), 1, token));

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.error()).isEqualTo("INVALID_TOKEN");
        assertThat(servers.stock(product.productId())).isEqualTo(10);
    }

    @Test
    void shouldAnswer401_whenNoJwtClaims() {
        ProductCard product = servers.productOnSale(10, 1);

        Reply reply = fixture.buy.invoke(Events.anonymous()
                .post("/api/flash-sale/buy", BuyFixture.body(product.productId(), 1, "x")));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.error()).isEqualTo("UNAUTHORIZED");
        assertThat(reply.string("message")).isNotBlank();
    }

    @Test
    void shouldAnswerAlreadyPurchasedWithFirstRequestId_whenUserBuysAgain() {
        ProductCard product = servers.productOnSale(10, 1);
        Reply first = fixture.buy("dave", product.productId(), 1);

        Reply second = fixture.buy("dave", product.productId(), 1);

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.error()).isEqualTo("ALREADY_PURCHASED");
        assertThat(second.string("requestId")).isEqualTo(first.string("requestId"));
        assertThat(servers.stock(product.productId())).isEqualTo(9);
    }

    @Test
    void shouldAnswerSoldOut_whenNoStockLeft_andThenWithoutCheckingTheToken() {
        ProductCard product = servers.productOnSale(1, 1);
        fixture.buy("erin", product.productId(), 1);

        Reply reply = fixture.buy.invoke(fixture.buyEvent("frank", product.productId(), 1,
                servers.grantedToken("frank", product.productId())));
        // the container has learned it: the crowd after the last unit costs no signature check, no Redis call
        Reply unchecked = fixture.buy.invoke(fixture.buyEvent("kim", product.productId(), 1, "not-a-token"));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.error()).isEqualTo("SOLD_OUT");
        assertThat(servers.stock(product.productId())).isZero();
        assertThat(unchecked.status()).isEqualTo(409);
        assertThat(unchecked.error()).isEqualTo("SOLD_OUT");
        assertThat(unchecked.string("message")).isNotBlank();
    }

    @Test
    void shouldReturnFirstRequestId_whenReplayedAfterTheContainerLearnedTheProductIsSoldOut() {
        ProductCard product = servers.productOnSale(1, 1);
        String token = servers.token("gina", product.productId());
        Reply first = fixture.buy.invoke(fixture.buyEvent("gina", product.productId(), 1, token).header("Idempotency-Key", "k-1"));
        Reply soldOut = fixture.buy.invoke(fixture.buyEvent("hank", product.productId(), 1,
                servers.grantedToken("hank", product.productId())));

        Reply replay = fixture.buy.invoke(fixture.buyEvent("gina", product.productId(), 1, token).header("Idempotency-Key", "k-1"));
        Reply otherKey = fixture.buy.invoke(fixture.buyEvent("gina", product.productId(), 1, token).header("Idempotency-Key", "k-2"));

        assertThat(first.status()).isEqualTo(202);
        assertThat(soldOut.error()).isEqualTo("SOLD_OUT");
        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.string("requestId")).isEqualTo(first.string("requestId"));
        assertThat(otherKey.error()).isEqualTo("SOLD_OUT");
        assertThat(servers.stock(product.productId())).isZero();
    }

    @Test
    void shouldAnswerSaleNotStartedWithTimes_whenBeforeStart() {
        Instant now = Instant.now();
        ProductCard product = servers.preload(new ProductCard(TestServers.newProductId(), "tv", 5_000, 5,
                now.plusSeconds(3600), now.plusSeconds(7200), 1));
        String token = servers.unregisteredToken("gina", product.productId(), now.plusSeconds(60));

        Reply reply = fixture.buy.invoke(fixture.buyEvent("gina", product.productId(), 1, token));

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.error()).isEqualTo("SALE_NOT_STARTED");
        assertThat(Instant.parse(reply.string("startsAt"))).isEqualTo(product.startsAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(Instant.parse(reply.string("serverTime"))).isBefore(product.startsAt());
    }

    @Test
    void shouldAnswerSaleEnded_whenAfterEnd() {
        Instant now = Instant.now();
        ProductCard product = servers.preload(new ProductCard(TestServers.newProductId(), "tv", 5_000, 5,
                now.minusSeconds(7200), now.minusSeconds(3600), 1));
        String token = servers.unregisteredToken("hank", product.productId(), now.plusSeconds(60));

        Reply reply = fixture.buy.invoke(fixture.buyEvent("hank", product.productId(), 1, token));

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.error()).isEqualTo("SALE_ENDED");
        assertThat(servers.stock(product.productId())).isEqualTo(5);
    }

    @Test
    void shouldAnswerNotFound_whenProductNotPreloaded() {
        String productId = TestServers.newProductId();

        Reply reply = fixture.buy.invoke(fixture.buyEvent("ivan", productId, 1,
                servers.unregisteredToken("ivan", productId, Instant.now().plusSeconds(60))));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.error()).isEqualTo("NOT_FOUND");
    }

    @Test
    void shouldAnswerPayloadTooLarge_whenBodyOver16KiB() {
        ProductCard product = servers.productOnSale(5, 1);
        String body = "{\"productId\":\"" + product.productId() + "\",\"pad\":\"" + "x".repeat(17_000) + "\"}";

        Reply reply = fixture.buy.invoke(Events.user("judy").post("/api/flash-sale/buy", body));

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.error()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void shouldAnswerInvalidRequest_whenQuantityOverLimit() {
        ProductCard product = servers.productOnSale(5, 2);

        Reply reply = fixture.buy("kim", product.productId(), 3);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("INVALID_REQUEST");
        assertThat(servers.stock(product.productId())).isEqualTo(5);
    }

    @Test
    void shouldReturnSameRequestIdAndMoveStockOnce_whenIdempotencyKeyReplayedSequentially() {
        ProductCard product = servers.productOnSale(10, 1);
        String token = servers.token("leo", product.productId());

        List<Reply> replies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            replies.add(fixture.buy.invoke(fixture.buyEvent("leo", product.productId(), 1, token)
                    .header("Idempotency-Key", "order-42")));
        }

        assertThat(replies).extracting(Reply::status).containsOnly(202);
        assertThat(replies).extracting(r -> r.string("requestId")).containsOnly(replies.get(0).string("requestId"));
        assertThat(servers.stock(product.productId())).isEqualTo(9);
    }

    @Test
    void shouldReturnSameRequestIdAndMoveStockOnce_whenIdempotencyKeyReplayedConcurrently() throws Exception {
        ProductCard product = servers.productOnSale(10, 1);
        String token = servers.token("mia", product.productId());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Callable<Reply>> calls = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            calls.add(() -> fixture.buy.invoke(fixture.buyEvent("mia", product.productId(), 1, token)
                    .header("Idempotency-Key", "k-concurrent")));
        }

        List<Reply> replies = new ArrayList<>();
        try {
            for (Future<Reply> future : pool.invokeAll(calls)) {
                replies.add(future.get());
            }
        } finally {
            pool.shutdownNow();
        }

        // the admission script is atomic: the first call records the key with its acceptance, every
        // other call (before or after it in Redis's order) either is that first call or sees the key
        assertThat(replies).extracting(Reply::status).containsOnly(202);
        assertThat(replies).extracting(r -> r.string("requestId")).containsOnly(replies.get(0).string("requestId"));
        assertThat(servers.stock(product.productId())).isEqualTo(9);
        assertThat(servers.redis().hlen(RedisKeys.product(product.productId()).buyers())).isEqualTo(1);
    }

    @Test
    void shouldReturnFirstRequestId_whenReplayedWithIdempotencyKeyAfterTokenExpired() {
        ProductCard product = servers.productOnSale(10, 1);
        Reply first = fixture.buy.invoke(fixture.buyEvent("quinn", product.productId(), 1,
                servers.token("quinn", product.productId())).header("Idempotency-Key", "retry-1"));
        String expired = servers.unregisteredToken("quinn", product.productId(), Instant.now().minusSeconds(1));

        Reply replay = fixture.buy.invoke(fixture.buyEvent("quinn", product.productId(), 1, expired)
                .header("Idempotency-Key", "retry-1"));
        Reply otherKey = fixture.buy.invoke(fixture.buyEvent("quinn", product.productId(), 1, expired)
                .header("Idempotency-Key", "retry-2"));

        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.string("requestId")).isEqualTo(first.string("requestId"));
        assertThat(otherKey.status()).isEqualTo(403);
        assertThat(otherKey.error()).isEqualTo("INVALID_TOKEN");
        assertThat(servers.stock(product.productId())).isEqualTo(9);
    }

    @Test
    void shouldAnswerConflict_whenIdempotencyKeyReusedWithOtherQuantity() {
        ProductCard product = servers.productOnSale(10, 2);
        fixture.buy.invoke(fixture.buyEvent("nora", product.productId(), 1, servers.token("nora", product.productId()))
                .header("Idempotency-Key", "same-key"));

        Reply reply = fixture.buy.invoke(fixture.buyEvent("nora", product.productId(), 2,
                servers.token("nora", product.productId())).header("Idempotency-Key", "same-key"));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.error()).isEqualTo("CONFLICT");
        assertThat(servers.stock(product.productId())).isEqualTo(9);
    }

    @Test
    void shouldAnswerRateLimitedWithRetryAfter_whenUserOverLimit() {
        ProductCard product = servers.productOnSale(10, 1);
        try (BuyFixture strict = new BuyFixture(realServers, Map.of(
                "flashsale.rate-limit.user.per-second", 0.01, "flashsale.rate-limit.user.burst", 1))) {
            strict.buy("olga", product.productId(), 1);

            Reply reply = strict.buy.invoke(strict.buyEvent("olga", product.productId(), 1,
                    servers.token("olga", product.productId())));

            assertThat(reply.status()).isEqualTo(429);
            assertThat(reply.error()).isEqualTo("RATE_LIMITED");
            assertThat(Long.parseLong(reply.headers().get("retry-after"))).isPositive();
        }
    }

    @Test
    void shouldDecideInOneEvalshaOnTheProductShard_andRefuseRateLimitedInsideTheScript() {
        try (ClusterTestServers cluster = new ClusterTestServers(realServers)) {
            ProductCard product = cluster.productOnSaleApartFrom(10, RedisKeys.denyListVersion());
            Map<String, Object> overrides = new HashMap<>(cluster.properties());
            overrides.put("flashsale.rate-limit.user.per-second", 0.01);
            overrides.put("flashsale.rate-limit.user.burst", 2);
            overrides.put("flashsale.product-cache-ttl", "60s");
            try (BuyFixture onCluster = new BuyFixture(realServers, overrides)) {
                assertThat(onCluster.buy("rita", product.productId(), 1).status()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(10)).until(() -> cluster.redis()
                        .xlen(RedisKeys.product(product.productId()).outbox()) == 0);
                CommandStats before = cluster.productShard(product.productId());

                Reply again = onCluster.buy("rita", product.productId(), 1);
                Reply limited = onCluster.buy("rita", product.productId(), 1);

                CommandStats after = cluster.productShard(product.productId());
                assertThat(again.error()).isEqualTo("ALREADY_PURCHASED");
                assertThat(limited.status()).isEqualTo(429);
                assertThat(limited.error()).isEqualTo("RATE_LIMITED");
                assertThat(Long.parseLong(limited.headers().get("retry-after"))).isPositive();
                assertThat(after.callsSince(before, "evalsha")).as("script calls for two buys").isEqualTo(2);
                assertThat(after.callsSince(before, "eval")).isZero();
                assertThat(cluster.redis().exists(RedisKeys.product(product.productId()).buyRateLimit("buy-user", "rita")))
                        .as("the user's bucket, in the product's slot").isEqualTo(1);
            }
        }
    }

    @Test
    void shouldRefuseSalePausedWithoutSpendingTheToken_andBuyWithItAfterResume() {
        ProductCard product = servers.productOnSale(10, 1);
        assertThat(fixture.buy("early", product.productId(), 1).status()).as("the card is warm").isEqualTo(202);
        String token = servers.token("paul", product.productId());

        servers.gate().setPaused(product.productId(), true).toCompletableFuture().join();
        Reply paused = fixture.buy.invoke(fixture.buyEvent("paul", product.productId(), 1, token));
        servers.gate().setPaused(product.productId(), false).toCompletableFuture().join();

        assertThat(paused.status()).isEqualTo(403);
        assertThat(paused.error()).as("the admission script refuses at once").isEqualTo("SALE_PAUSED");
        assertThat(servers.stock(product.productId())).isEqualTo(9);
        await().atMost(Duration.ofMillis(1_500)).pollInterval(Duration.ofMillis(20))
                .until(() -> fixture.buy.invoke(fixture.buyEvent("paul", product.productId(), 1, token)).status() == 202);
        assertThat(servers.stock(product.productId())).isEqualTo(8);
    }

    @Test
    void shouldAnswerUserBlockedWithinASecond_whileTheUserIsOnTheDenyList() {
        ProductCard product = servers.productOnSale(10, 1);
        String user = "bot-" + TestServers.newProductId();
        servers.gate().setDenied(user, true).toCompletableFuture().join();

        // polled with a token of someone else: refused either way, so nothing is bought while polling
        String othersToken = servers.token("someone-else", product.productId());
        await().atMost(Duration.ofMillis(1_500)).pollInterval(Duration.ofMillis(20)).until(() -> "USER_BLOCKED".equals(
                fixture.buy.invoke(fixture.buyEvent(user, product.productId(), 1, othersToken)).error()));
        Reply blocked = fixture.buy(user, product.productId(), 1);
        servers.gate().setDenied(user, false).toCompletableFuture().join();

        assertThat(blocked.status()).isEqualTo(403);
        assertThat(blocked.error()).isEqualTo("USER_BLOCKED");
        assertThat(servers.stock(product.productId())).isEqualTo(10);
        await().atMost(Duration.ofMillis(1_500)).pollInterval(Duration.ofMillis(20))
                .until(() -> fixture.buy(user, product.productId(), 1).status() == 202);
    }

    @Test
    void shouldAnswerUnavailable_whenItsLiveRedisDies_andRecoverWhenItComesBack() {
        RedisServer redis = RedisServer.start(realServers.workDirectory("buy-redis-dies"));
        // a new product id for each call: the container remembers products, found or not
        try (BuyFixture own = new BuyFixture(realServers, Map.of("redis.uri", redis.uri(), "redis.timeout", "1s"))) {
            assertThat(own.buy.invoke(own.buyEvent("pam", TestServers.newProductId(), 1, "t")).status())
                    .as("connected: a product this Redis never had is not found").isEqualTo(404);

            redis.stop(); // the connection the function holds dies under it
            Reply reply = own.buy.invoke(own.buyEvent("pam", TestServers.newProductId(), 1, "t"));
            redis.start();

            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.error()).isEqualTo("UNAVAILABLE");
            // Redis back: the function reconnects by itself
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> own.buy.invoke(own.buyEvent("pam", TestServers.newProductId(), 1, "t")).status() == 404);
        } finally {
            redis.stop();
        }
    }

    @Test
    void shouldAnswerUnavailableAndChangeNothing_whenRedisRefusesWritesForLackOfMemory() {
        ProductCard product = servers.productOnSale(10, 1);
        String token = servers.token("quinn", product.productId());
        Map<String, String> before = servers.productState(product.productId());
        Map<String, String> settings = new java.util.HashMap<>(servers.redis().configGet("maxmemory")); // one per call on Redis 6
        settings.putAll(servers.redis().configGet("maxmemory-policy"));
        servers.redis().configSet("maxmemory-policy", "noeviction");
        servers.redis().configSet("maxmemory", "1");
        Reply reply;
        try {
            reply = fixture.buy.invoke(fixture.buyEvent("quinn", product.productId(), 1, token));
        } finally {
            servers.redis().configSet("maxmemory", settings.get("maxmemory"));
            servers.redis().configSet("maxmemory-policy", settings.get("maxmemory-policy"));
        }

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.error()).isEqualTo("UNAVAILABLE");
        assertThat(servers.productState(product.productId())).isEqualTo(before);
    }

    @Test
    void shouldNotRegisterLambdaContext_whenInvokedManyTimes() {
        LambdaHarness harness = fixture.buy;
        for (int i = 0; i < 100; i++) {
            harness.invoke(Events.anonymous().post("/api/flash-sale/buy", "{}"));
        }

        assertThat(harness.context().getBeansOfType(com.amazonaws.services.lambda.runtime.Context.class)).isEmpty();
    }
}
