package com.flashsale.admin;

import com.flashsale.http.Events;
import com.flashsale.http.FunctionTest;
import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.redis.RedisKeys;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin function through its Lambda handler, on the context micronaut-test starts over the real servers. */
@MicronautTest(transactional = false)
class AdminHandlerTest extends FunctionTest {

    private final RealServers.Database database;

    AdminHandlerTest(RealServers realServers) {
        super(realServers);
        database = realServers.freshDatabase("admin");
    }

    @Override
    protected Map<String, Object> properties() {
        Map<String, Object> properties = super.properties();
        properties.putAll(TestServers.databaseProperties(database));
        return properties;
    }

    static String productJson(int stock, Instant startsAt, Instant endsAt) {
        return "{\"name\":\"Phone X\",\"priceCents\":99900,\"stock\":" + stock + ",\"startsAt\":\"" + startsAt
                + "\",\"endsAt\":\"" + endsAt + "\",\"limitPerUser\":2}";
    }

    private String createProduct(int stock) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Reply reply = handler().invoke(Events.admin().post("/admin/products",
                productJson(stock, now.plusSeconds(3600), now.plusSeconds(7200))));
        assertThat(reply.status()).isEqualTo(201);
        return reply.string("productId");
    }

    private void execute(String sql, Object... parameters) {
        TestServers.execute(database, sql, parameters);
    }

    private String productColumn(String productId, String column) {
        return TestServers.queryOne(database, "SELECT " + column + " FROM product WHERE id = ?", productId);
    }

    private String insertOrder(String productId, String status) {
        return insertOrder(productId, status, Instant.now().plusSeconds(900));
    }

    private String insertOrder(String productId, String status, Instant payBy) {
        String orderId = "o-" + UUID.randomUUID();
        execute("INSERT INTO purchase_order (id, request_id, product_id, user_id, quantity, price_cents, status, pay_by) "
                + "VALUES (?, ?, ?, ?, 1, 99900, ?, ?)", orderId, productId + "." + UUID.randomUUID().toString().replace("-", ""),
                productId, "u-" + orderId, status, payBy);
        return orderId;
    }

    @Test
    void shouldCreateProduct_whenBodyValid() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        Reply reply = handler().invoke(Events.admin().post("/admin/products",
                productJson(1000, now.plusSeconds(60), now.plusSeconds(600))));

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.string("productId")).matches(RedisKeys.PRODUCT_ID.pattern());
        assertThat(reply.body()).containsEntry("name", "Phone X").containsEntry("priceCents", 99_900)
                .containsEntry("stock", 1000).containsEntry("limitPerUser", 2)
                .containsEntry("startsAt", now.plusSeconds(60).toString());
        assertThat(productColumn(reply.string("productId"), "stock_left")).isEqualTo("1000");
    }

    @Test
    void shouldAnswer403Forbidden_whenNoAdminScope() {
        Reply create = handler().invoke(Events.user("alice").post("/admin/products", "{}"));
        Reply stats = handler().invoke(Events.user("alice").get("/admin/products/p1/stats"));

        assertThat(create.status()).isEqualTo(403);
        assertThat(create.error()).isEqualTo("FORBIDDEN");
        assertThat(stats.status()).isEqualTo(403);
    }

    @Test
    void shouldAnswer401_whenNoJwtClaims() {
        Reply reply = handler().invoke(Events.anonymous().post("/admin/orders/o1/paid", ""));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.error()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void shouldAnswerInvalidRequest_whenProductBodyInvalid() {
        Instant now = Instant.now();
        String[] bodies = {
                "{\"name\":\"\",\"priceCents\":1,\"stock\":1,\"startsAt\":\"" + now + "\",\"endsAt\":\"" + now.plusSeconds(9) + "\"}",
                "{\"name\":\"x\",\"priceCents\":0,\"stock\":1,\"startsAt\":\"" + now + "\",\"endsAt\":\"" + now.plusSeconds(9) + "\"}",
                "{\"name\":\"x\",\"priceCents\":1,\"stock\":10000001,\"startsAt\":\"" + now + "\",\"endsAt\":\"" + now.plusSeconds(9) + "\"}",
                "{\"name\":\"x\",\"priceCents\":1,\"stock\":1,\"startsAt\":\"" + now + "\",\"endsAt\":\"" + now + "\"}",
                "{\"name\":\"x\",\"priceCents\":1,\"stock\":1,\"startsAt\":\"tomorrow\",\"endsAt\":\"" + now + "\"}",
                "{\"name\":\"x\",\"priceCents\":1,\"stock\":1,\"startsAt\":\"" + now + "\",\"endsAt\":\"" + now.plusSeconds(9) + "\",\"limitPerUser\":11}",
                "{\"name\":\"" + "n".repeat(201) + "\",\"priceCents\":1,\"stock\":1,\"startsAt\":\"" + now + "\",\"endsAt\":\"" + now.plusSeconds(9) + "\"}",
                "{\"name\":\"x\",\"priceCents\":1,\"stock\":1,\"startsAt\":\"" + now + "\",\"endsAt\":\"" + now.plusSeconds(9) + "\",\"shards\":65}",
                "{\"name\":\"x\",\"priceCents\":1,\"stock\":1,\"startsAt\":\"" + now + "\",\"endsAt\":\"" + now.plusSeconds(9) + "\",\"shards\":0}",
                "[1,2]",
        };
        for (String body : bodies) {
            Reply reply = handler().invoke(Events.admin().post("/admin/products", body));

            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.error()).as(body).isEqualTo("INVALID_REQUEST");
        }
    }

    @Test
    void shouldPreloadOnce_andAnswer200Again_whenRepeated() {
        String productId = createProduct(50);

        Reply first = handler().invoke(Events.admin().post("/admin/products/" + productId + "/preload", ""));
        Reply second = handler().invoke(Events.admin().post("/admin/products/" + productId + "/preload", ""));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).containsEntry("productId", productId).containsEntry("stock", 50);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).containsEntry("stock", 50);
        assertThat(servers.stock(productId)).isEqualTo(50);
        assertThat(productColumn(productId, "preloaded_at")).isNotNull();
    }

    @Test
    void shouldAnswerConflict_whenPreloadedWithOtherStock() {
        String productId = createProduct(50);
        handler().invoke(Events.admin().post("/admin/products/" + productId + "/preload", ""));
        execute("UPDATE product SET stock_total = 60, stock_left = 60 WHERE id = ?", productId);

        Reply reply = handler().invoke(Events.admin().post("/admin/products/" + productId + "/preload", ""));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.error()).isEqualTo("CONFLICT");
        assertThat(servers.stock(productId)).isEqualTo(50);
    }

    @Test
    void shouldAnswer404_whenPreloadingUnknownProduct() {
        Reply reply = handler().invoke(Events.admin().post("/admin/products/p-unknown/preload", ""));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.error()).isEqualTo("NOT_FOUND");
    }

    @Test
    void shouldMarkPaid_andStayPaid_whenCallbackRepeated() {
        String productId = createProduct(5);
        String orderId = insertOrder(productId, "PENDING_PAYMENT");

        Reply first = handler().invoke(Events.admin().post("/admin/orders/" + orderId + "/paid", ""));
        Reply second = handler().invoke(Events.admin().post("/admin/orders/" + orderId + "/paid", ""));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).containsEntry("orderId", orderId).containsEntry("status", "PAID");
        assertThat(second.status()).isEqualTo(200);
    }

    @Test
    void shouldAnswerConflict_whenPayingCancelledOrder() {
        String productId = createProduct(5);
        String orderId = insertOrder(productId, "CANCELLED");

        Reply reply = handler().invoke(Events.admin().post("/admin/orders/" + orderId + "/paid", ""));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.error()).isEqualTo("CONFLICT");
    }

    @Test
    void shouldAnswerConflictAndLeaveTheOrderUnpaid_whenPaidAfterPayBy_beforeTheReconciliationCancelledIt() {
        String productId = createProduct(5);
        String orderId = insertOrder(productId, "PENDING_PAYMENT", Instant.now().minusSeconds(1));

        Reply reply = handler().invoke(Events.admin().post("/admin/orders/" + orderId + "/paid", ""));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.error()).isEqualTo("CONFLICT");
        assertThat(TestServers.queryOne(database, "SELECT status FROM purchase_order WHERE id = ?", orderId))
                .isEqualTo("PENDING_PAYMENT");
    }

    @Test
    void shouldAnswer404_whenPayingUnknownOrder() {
        Reply reply = handler().invoke(Events.admin().post("/admin/orders/o-unknown/paid", ""));

        assertThat(reply.status()).isEqualTo(404);
    }

    private String tableDigest() {
        return TestServers.queryOne(database,
                "SELECT (SELECT coalesce(md5(string_agg(p::text, ',' ORDER BY p.id)), '') FROM product p) || '/' || "
                        + "(SELECT coalesce(md5(string_agg(o::text, ',' ORDER BY o.id)), '') FROM purchase_order o)");
    }

    @Test
    void shouldAnswer4xxJsonAndChangeNothing_whenAdminRequestsMalformed() {
        String productId = createProduct(20);
        handler().invoke(Events.admin().post("/admin/products/" + productId + "/preload", ""));
        String cancelled = insertOrder(productId, "CANCELLED");
        Instant now = Instant.now();
        String window = ",\"startsAt\":\"" + now + "\",\"endsAt\":\"" + now.plusSeconds(60) + "\"";
        Object[][] cases = {
                {Events.admin().post("/admin/products", null), 400},
                {Events.admin().post("/admin/products", "{"), 400},
                {Events.admin().post("/admin/products", "{\"name\":1,\"priceCents\":1,\"stock\":1" + window + "}"), 400},
                {Events.admin().post("/admin/products", "{\"name\":\"x\",\"priceCents\":\"1\",\"stock\":1" + window + "}"), 400},
                {Events.admin().post("/admin/products", "{\"name\":\"x\",\"priceCents\":-5,\"stock\":1" + window + "}"), 400},
                {Events.admin().post("/admin/products", "{\"name\":\"x\",\"priceCents\":1.5,\"stock\":1" + window + "}"), 400},
                {Events.admin().post("/admin/products", "{\"name\":\"x\",\"priceCents\":1,\"stock\":0" + window + "}"), 400},
                {Events.admin().post("/admin/products", "{\"name\":\"x\",\"priceCents\":1,\"stock\":1e12" + window + "}"), 400},
                {Events.admin().post("/admin/products", "{\"name\":\"x\",\"priceCents\":1,\"stock\":1}"), 400},
                {Events.admin().post("/admin/products", "{\"name\":\"x\",\"priceCents\":1,\"stock\":1,\"startsAt\":1,\"endsAt\":2}"), 400},
                {Events.admin().post("/admin/products", "{\"name\":\"x\",\"priceCents\":1,\"stock\":1,\"limitPerUser\":0" + window + "}"), 400},
                {Events.admin().post("/admin/products", "{\"name\":\"x\",\"priceCents\":1,\"stock\":1,\"limitPerUser\":\"2\"" + window + "}"), 400},
                {Events.admin().post("/admin/products", "{\"pad\":\"" + "x".repeat(17_000) + "\"}"), 413},
                {Events.user("alice").post("/admin/products", "{\"name\":\"x\",\"priceCents\":1,\"stock\":1" + window + "}"), 403},
                {Events.anonymous().post("/admin/products", "{\"name\":\"x\",\"priceCents\":1,\"stock\":1" + window + "}"), 401},
                {Events.user("alice").post("/admin/products/" + productId + "/preload", ""), 403},
                {Events.admin().post("/admin/products/..%2F" + productId + "/preload", ""), 404},
                {Events.admin().post("/admin/products/" + "p".repeat(65) + "/preload", ""), 404},
                {Events.admin().post("/admin/orders/" + cancelled + "/paid", ""), 409},
                {Events.user("alice").post("/admin/orders/" + cancelled + "/paid", ""), 403},
                {Events.admin().post("/admin/orders/o-nobody/paid", ""), 404},
                {Events.admin().get("/admin/products/p-nobody/stats"), 404},
                {Events.admin().get("/admin/orders/" + cancelled + "/paid"), 405},
                {Events.admin().post("/admin/unknown", "{}"), 404},
        };
        String digest = tableDigest();
        Map<String, String> redisBefore = servers.productState(productId);

        for (Object[] c : cases) {
            Reply reply = handler().invoke((Events) c[0]);

            assertThat(reply.status()).as(reply.toString()).isEqualTo(c[1]);
            assertThat(reply.body()).as(reply.toString()).containsKeys("error", "message");
        }

        assertThat(tableDigest()).isEqualTo(digest);
        assertThat(servers.productState(productId)).isEqualTo(redisBefore);
    }

    @Test
    void shouldPauseInPostgresAndRedis_listItPaused_andResume() {
        String productId = createProduct(5);
        assertThat(handler().invoke(Events.admin().post("/admin/products/" + productId + "/preload", null)).status())
                .isEqualTo(200);

        Reply paused = handler().invoke(Events.admin().post("/admin/products/" + productId + "/pause", null));
        String listedPaused = stateListed(productId);
        String redisFlag = servers.redis().hget(RedisKeys.product(productId).meta(), "paused");
        Reply resumed = handler().invoke(Events.admin().post("/admin/products/" + productId + "/resume", null));

        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.body()).containsEntry("productId", productId).containsEntry("state", "PAUSED");
        assertThat(listedPaused).isEqualTo("PAUSED");
        assertThat(redisFlag).isEqualTo("1");
        assertThat(resumed.body()).containsEntry("state", "SCHEDULED");
        assertThat(productColumn(productId, "paused")).isEqualTo("f");
        assertThat(servers.redis().hget(RedisKeys.product(productId).meta(), "paused")).isEqualTo("0");
    }

    @Test
    void shouldPreloadThePausedFlag_whenPausedBeforeThePreload() {
        String productId = createProduct(5);

        handler().invoke(Events.admin().post("/admin/products/" + productId + "/pause", null));
        handler().invoke(Events.admin().post("/admin/products/" + productId + "/preload", null));

        assertThat(productColumn(productId, "paused")).isEqualTo("t");
        assertThat(servers.redis().hget(RedisKeys.product(productId).meta(), "paused")).isEqualTo("1");
    }

    @Test
    void shouldListEachProductWithItsState() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String scheduled = createProduct(5);
        String onSale = created(productJson(5, now.minusSeconds(60), now.plusSeconds(3600)));
        String soldOut = created(productJson(1, now.minusSeconds(60), now.plusSeconds(3600)));
        String ended = created(productJson(5, now.minusSeconds(7200), now.minusSeconds(3600)));
        handler().invoke(Events.admin().post("/admin/products/" + onSale + "/preload", null));
        handler().invoke(Events.admin().post("/admin/products/" + soldOut + "/preload", null));
        servers.redis().set(RedisKeys.product(soldOut).stock(), "0", io.lettuce.core.SetArgs.Builder.keepttl());

        assertThat(stateListed(scheduled)).isEqualTo("SCHEDULED");
        assertThat(stateListed(onSale)).isEqualTo("ON_SALE");
        assertThat(stateListed(soldOut)).isEqualTo("SOLD_OUT");
        assertThat(stateListed(ended)).isEqualTo("ENDED");
    }

    @Test
    void shouldAnswer204AndKeepTheListInRedis_whenAUserIsDeniedAndAllowed() {
        String user = "bot-" + UUID.randomUUID();

        Reply denied = handler().invoke(Events.admin().route("PUT", "/admin/denylist/users/" + user, null));
        boolean listed = servers.redis().sismember(RedisKeys.denyListUsers(), user);
        Reply allowed = handler().invoke(Events.admin().route("DELETE", "/admin/denylist/users/" + user, null));

        assertThat(denied.status()).isEqualTo(204);
        assertThat(listed).isTrue();
        assertThat(allowed.status()).isEqualTo(204);
        assertThat(servers.redis().sismember(RedisKeys.denyListUsers(), user)).isFalse();
    }

    @Test
    void shouldAnswer404_whenPausingUnknownProduct_and403_withoutTheAdminScope() {
        Reply unknown = handler().invoke(Events.admin().post("/admin/products/p-unknown/pause", null));
        Reply notAdmin = handler().invoke(Events.user("mallory").route("PUT", "/admin/denylist/users/someone", null));

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(notAdmin.status()).isEqualTo(403);
        assertThat(notAdmin.error()).isEqualTo("FORBIDDEN");
    }

    private String created(String json) {
        Reply reply = handler().invoke(Events.admin().post("/admin/products", json));
        assertThat(reply.status()).isEqualTo(201);
        return reply.string("productId");
    }

    @SuppressWarnings("unchecked")
    private String stateListed(String productId) {
        Reply reply = handler().invoke(Events.admin().get("/admin/products"));
        assertThat(reply.status()).isEqualTo(200);
        return ((java.util.List<Map<String, Object>>) reply.body().get("products")).stream()
                .filter(product -> productId.equals(product.get("productId"))).map(product -> (String) product.get("state"))
                .findFirst().orElseThrow();
    }

    @Test
    void shouldReportStats_whenOrdersExist() {
        String productId = createProduct(10);
        handler().invoke(Events.admin().post("/admin/products/" + productId + "/preload", ""));
        servers.redis().decrby(RedisKeys.product(productId).stock(), 3);
        insertOrder(productId, "PENDING_PAYMENT");
        insertOrder(productId, "PAID");
        insertOrder(productId, "CANCELLED");
        execute("INSERT INTO reconciliation_run (fence, holder, finished_at, summary) VALUES (1, 'test', now(), '{\"products\":1}')");
        execute("INSERT INTO dead_letter (topic, partition, record_offset, error) VALUES ('orders', 0, 7, 'unreadable')");

        Reply reply = handler().invoke(Events.admin().get("/admin/products/" + productId + "/stats"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).containsEntry("productId", productId).containsEntry("stock", 10)
                .containsEntry("redisStock", 7).containsEntry("accepted", 3).containsEntry("orders", 3)
                .containsEntry("paid", 1).containsEntry("cancelled", 1).containsEntry("failed", 0)
                .containsEntry("deadLetters", 1);
        assertThat(reply.body().get("lastReconciliation")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsKeys("runId", "startedAt", "finishedAt", "summary");
    }

    @Test
    void shouldSplitTheStockOverItsShards_andSumThemInTheStats_whenCreatedWithShards() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Reply created = handler().invoke(Events.admin().post("/admin/products", productJson(10, now.plusSeconds(3600),
                now.plusSeconds(7200)).replace("}", ",\"shards\":4}")));
        String productId = created.string("productId");

        Reply preload = handler().invoke(Events.admin().post("/admin/products/" + productId + "/preload", ""));
        servers.redis().decrby(RedisKeys.shard(productId, 3).stock(), 2);
        Reply stats = handler().invoke(Events.admin().get("/admin/products/" + productId + "/stats"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(productColumn(productId, "shards")).isEqualTo("4");
        assertThat(preload.body()).containsEntry("stock", 10);
        assertThat(java.util.stream.IntStream.range(0, 4).mapToObj(k -> servers.redis().get(RedisKeys.shard(productId, k).stock())))
                .as("3, 3, 2, 2 preloaded, then 2 taken from shard 3").containsExactly("3", "3", "2", "0");
        assertThat(stats.body()).containsEntry("redisStock", 8).containsEntry("accepted", 2);
    }
}
