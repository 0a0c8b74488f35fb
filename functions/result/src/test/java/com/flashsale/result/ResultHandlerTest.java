package com.flashsale.result;

import com.flashsale.http.Events;
import com.flashsale.http.FunctionTest;
import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.event.RequestStatus;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.redis.RequestIds;
import com.flashsale.shared.redis.RequestState;
import io.lettuce.core.SetArgs;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The result function through its Lambda handler, on the context micronaut-test starts over the real servers. */
@MicronautTest(transactional = false)
class ResultHandlerTest extends FunctionTest {

    private final ResultRows rows;

    ResultHandlerTest(RealServers realServers) {
        super(realServers);
        rows = new ResultRows(realServers.freshDatabase("result"));
    }

    @Override
    protected Map<String, Object> properties() {
        Map<String, Object> properties = super.properties();
        properties.putAll(TestServers.databaseProperties(rows.database));
        return properties;
    }

    private String pendingRequest(ProductCard product, String userId) {
        String requestId = RequestIds.newRequestId(product.productId());
        servers.gate().setRequestState(new RequestState(requestId, product.productId(), userId, 1, RequestStatus.PENDING,
                null, null)).toCompletableFuture().join();
        return requestId;
    }

    @Test
    void shouldReturnPendingRequest_whenOwnerAsks() {
        ProductCard product = servers.productOnSale(10, 1);
        String requestId = pendingRequest(product, "alice");

        Reply reply = handler().invoke(Events.user("alice").get("/api/flash-sale/result/" + requestId));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).containsEntry("requestId", requestId).containsEntry("productId", product.productId())
                .containsEntry("status", "PENDING").containsEntry("quantity", 1).doesNotContainKeys("orderId", "reason");
    }

    @Test
    void shouldAnswer404_whenAnotherUsersRequest() {
        ProductCard product = servers.productOnSale(10, 1);
        String requestId = pendingRequest(product, "alice");

        Reply reply = handler().invoke(Events.user("mallory").get("/api/flash-sale/result/" + requestId));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.error()).isEqualTo("NOT_FOUND");
    }

    @Test
    void shouldAnswer404_whenRequestIdUnknownOrMalformed() {
        String unknown = RequestIds.newRequestId(TestServers.newProductId());

        assertThat(handler().invoke(Events.user("bob").get("/api/flash-sale/result/" + unknown)).status()).isEqualTo(404);
        assertThat(handler().invoke(Events.user("bob").get("/api/flash-sale/result/not-a-request-id")).error())
                .isEqualTo("NOT_FOUND");
        assertThat(handler().invoke(Events.user("bob").get("/api/flash-sale/result/a.b.c%20d")).status()).isEqualTo(404);
    }

    @Test
    void shouldAnswer401_whenNoJwtClaims() {
        Reply reply = handler().invoke(Events.anonymous().get("/api/flash-sale/result/x"));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.error()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void shouldReadPostgresAndRefillRedis_whenRedisForgotTheRequest() {
        ProductCard product = rows.insertProduct(servers.productOnSale(10, 1), 9);
        String requestId = RequestIds.newRequestId(product.productId());
        String orderId = "o-" + UUID.randomUUID();
        rows.insertOrder(orderId, requestId, product, "carol");

        Reply reply = handler().invoke(Events.user("carol").get("/api/flash-sale/result/" + requestId));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).containsEntry("status", "SUCCESS").containsEntry("orderId", orderId);
        assertThat(servers.redis().hget(RedisKeys.product(product.productId()).request(requestId), "status"))
                .isEqualTo("SUCCESS");
        assertThat(handler().invoke(Events.user("dave").get("/api/flash-sale/result/" + requestId)).status())
                .isEqualTo(404);
    }

    /** The state a failover leaves when it lost the consumer's write: the admission's PENDING, accepted {@code ago}. */
    private void pendingSince(ProductCard product, String requestId, String userId, Duration ago) {
        servers.redis().hset(RedisKeys.product(product.productId()).request(requestId), Map.of(
                "status", "PENDING", "userId", userId, "productId", product.productId(), "quantity", "1",
                "acceptedAt", Long.toString(Instant.now().minus(ago).toEpochMilli())));
    }

    @Test
    void shouldAnswerPostgresDecisionAndWriteItBack_whenRedisStillShowsAnOldPending() {
        ProductCard product = rows.insertProduct(servers.productOnSale(10, 1), 9);
        String requestId = RequestIds.newRequestId(product.productId());
        String orderId = "o-" + UUID.randomUUID();
        rows.insertOrder(orderId, requestId, product, "gina");
        pendingSince(product, requestId, "gina", Duration.ofSeconds(30));

        Reply reply = handler().invoke(Events.user("gina").get("/api/flash-sale/result/" + requestId));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).containsEntry("status", "SUCCESS").containsEntry("orderId", orderId);
        assertThat(servers.redis().hgetall(RedisKeys.product(product.productId()).request(requestId)))
                .containsEntry("status", "SUCCESS").containsEntry("orderId", orderId);
        assertThat(handler().invoke(Events.user("hank").get("/api/flash-sale/result/" + requestId)).status())
                .isEqualTo(404);
    }

    @Test
    void shouldAnswerPending_whenAnOldPendingIsUndecidedInPostgres_orTooYoungToConfirm() {
        ProductCard product = rows.insertProduct(servers.productOnSale(10, 1), 9);
        String undecided = RequestIds.newRequestId(product.productId());
        pendingSince(product, undecided, "ivy", Duration.ofSeconds(30));
        String young = RequestIds.newRequestId(product.productId());
        rows.insertOrder("o-" + UUID.randomUUID(), young, product, "ivy");
        pendingSince(product, young, "ivy", Duration.ZERO);

        assertThat(handler().invoke(Events.user("ivy").get("/api/flash-sale/result/" + undecided)).body())
                .containsEntry("status", "PENDING");
        assertThat(handler().invoke(Events.user("ivy").get("/api/flash-sale/result/" + young)).body())
                .containsEntry("status", "PENDING");
    }

    @Test
    void shouldReturnOrder_whenOwnerAsks_and404ForAnotherUser() {
        ProductCard product = rows.insertProduct(servers.productOnSale(10, 1), 9);
        String orderId = "o-" + UUID.randomUUID();
        rows.insertOrder(orderId, RequestIds.newRequestId(product.productId()), product, "erin");

        Reply mine = handler().invoke(Events.user("erin").get("/api/orders/" + orderId));
        Reply theirs = handler().invoke(Events.user("frank").get("/api/orders/" + orderId));
        Reply unknown = handler().invoke(Events.user("erin").get("/api/orders/o-unknown"));

        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.body()).containsEntry("orderId", orderId).containsEntry("status", "PENDING_PAYMENT")
                .containsEntry("priceCents", 99_900).containsKeys("requestId", "productId", "quantity", "createdAt", "payBy");
        assertThat(theirs.status()).isEqualTo(404);
        assertThat(theirs.error()).isEqualTo("NOT_FOUND");
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void shouldReturnCardWithRedisTime_whenProductPreloaded() {
        ProductCard product = servers.productOnSale(1, 1);

        Reply reply = handler().invoke(Events.anonymous().get("/api/products/" + product.productId()));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).containsEntry("productId", product.productId()).containsEntry("name", "phone")
                .containsEntry("priceCents", 99_900).containsEntry("soldOut", false)
                .containsEntry("startsAt", product.startsAt().truncatedTo(ChronoUnit.MILLIS).toString());
        assertThat(Instant.parse(reply.string("serverTime"))).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(5, ChronoUnit.SECONDS));
    }

    @Test
    void shouldSaySoldOut_whenRedisStockIsZero() {
        ProductCard product = servers.productOnSale(1, 1);
        servers.redis().set(RedisKeys.product(product.productId()).stock(), "0", SetArgs.Builder.keepttl());

        Reply reply = handler().invoke(Events.anonymous().get("/api/products/" + product.productId()));

        assertThat(reply.body()).containsEntry("soldOut", true);
    }

    @Test
    void shouldReadPostgres_whenProductNotPreloaded_and404WhenUnknown() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ProductCard product = rows.insertProduct(new ProductCard(TestServers.newProductId(), "laptop", 150_000, 3,
                now.plusSeconds(3600), now.plusSeconds(7200), 1), 3);

        Reply reply = handler().invoke(Events.anonymous().get("/api/products/" + product.productId()));
        Reply unknown = handler().invoke(Events.anonymous().get("/api/products/" + TestServers.newProductId()));
        Reply malformed = handler().invoke(Events.anonymous().get("/api/products/bad%20id!"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).containsEntry("name", "laptop").containsEntry("soldOut", false).containsKey("serverTime");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("NOT_FOUND");
        assertThat(malformed.status()).isEqualTo(404);
    }
}
