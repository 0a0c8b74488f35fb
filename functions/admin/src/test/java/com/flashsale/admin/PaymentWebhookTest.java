package com.flashsale.admin;

import com.flashsale.http.Events;
import com.flashsale.http.FunctionTest;
import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.Outcomes;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /payments/webhook} through the admin function's Lambda handler, on a real PostgreSQL. */
@MicronautTest(transactional = false)
class PaymentWebhookTest extends FunctionTest {

    private static final String CURRENT = "whsec-current-0123456789abcdef0123456789";
    private static final String PREVIOUS = "whsec-previous-0123456789abcdef012345678";

    private final RealServers.Database database;

    PaymentWebhookTest(RealServers realServers) {
        super(realServers);
        database = realServers.freshDatabase("webhook");
    }

    @Override
    protected Map<String, Object> properties() {
        Map<String, Object> properties = super.properties();
        properties.putAll(TestServers.databaseProperties(database));
        properties.put("flashsale.payment-webhook.current-secret", CURRENT);
        properties.put("flashsale.payment-webhook.previous-secret", PREVIOUS);
        properties.put("flashsale.payment-webhook.currency", "EUR");
        return properties;
    }

    /** An order of 2 units at 499 cents, whose total (the order's price) is 998 cents. */
    private String order(String status, Instant payBy) {
        String productId = TestServers.newProductId();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        TestServers.execute(database, "INSERT INTO product (id, name, price_cents, stock_total, stock_left, starts_at, "
                + "ends_at, limit_per_user) VALUES (?, 'Phone', 499, 10, 8, ?, ?, 2)", productId, now.minusSeconds(60),
                now.plusSeconds(3600));
        String orderId = "o-" + UUID.randomUUID();
        TestServers.execute(database, "INSERT INTO purchase_order (id, request_id, product_id, user_id, quantity, "
                + "price_cents, status, pay_by) VALUES (?, ?, ?, 'alice', 2, 998, ?, ?)", orderId,
                productId + "." + UUID.randomUUID().toString().replace("-", ""), productId, status, payBy);
        return orderId;
    }

    private String pendingOrder() {
        return order("PENDING_PAYMENT", Instant.now().plusSeconds(900));
    }

    private static String body(String eventId, String orderId, long amountCents, String currency) {
        return "{\"eventId\":\"" + eventId + "\",\"orderId\":\"" + orderId + "\",\"amountCents\":" + amountCents
                + ",\"currency\":\"" + currency + "\",\"providerRef\":\"pi_" + eventId + "\",\"status\":\"SUCCEEDED\"}";
    }

    private Reply deliver(String body, String signature) {
        Events events = Events.anonymous().post("/payments/webhook", body);
        if (signature != null) {
            events.header("Flashsale-Signature", signature);
        }
        return handler().invoke(events);
    }

    private Reply deliverSigned(String body, String secret, Instant at) {
        return deliver(body, WebhookSignature.header(secret.getBytes(StandardCharsets.UTF_8), at,
                body.getBytes(StandardCharsets.UTF_8)));
    }

    private String orderColumn(String orderId, String column) {
        return TestServers.queryOne(database, "SELECT " + column + " FROM purchase_order WHERE id = ?", orderId);
    }

    private String paymentEvents(String orderId) {
        return TestServers.queryOne(database, "SELECT count(*) FROM payment_event WHERE order_id = ?", orderId);
    }

    /** Deliveries that paid an order so far (a replay counts as WEBHOOK_REPLAYED). */
    private long settled() {
        return context.getBean(Outcomes.class).snapshot().getOrDefault("WEBHOOK_PAID", 0L);
    }

    private long settledNow(long before) {
        return settled() - before;
    }

    @Test
    void shouldPayTheOrderAndKeepTheProviderRef_whenSignedWithTheCurrentSecret() {
        String orderId = pendingOrder();

        Reply reply = deliverSigned(body("evt-1-" + orderId, orderId, 998, "EUR"), CURRENT, Instant.now());

        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(Map.of("orderId", orderId, "status", "PAID"));
        assertThat(orderColumn(orderId, "status")).isEqualTo("PAID");
        assertThat(orderColumn(orderId, "provider_ref")).isEqualTo("pi_evt-1-" + orderId);
    }

    @Test
    void shouldAcceptThePreviousSecret_whenTheProviderHasNotRotatedYet() {
        String orderId = pendingOrder();

        Reply reply = deliverSigned(body("evt-prev-" + orderId, orderId, 998, "EUR"), PREVIOUS, Instant.now());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(orderColumn(orderId, "status")).isEqualTo("PAID");
    }

    @Test
    void shouldAnswer401AndPayNothing_whenTheSignatureIsBadOrMissing() {
        String orderId = pendingOrder();
        String body = body("evt-bad-" + orderId, orderId, 998, "EUR");
        String otherBody = body("evt-bad-" + orderId, orderId, 1, "EUR");
        long t = Instant.now().getEpochSecond();
        String[] signatures = {
                null,
                "",
                "t=" + t,
                "t=" + t + ",v1=zz",
                "t=" + t + ",v1=" + "00".repeat(32),
                // a valid signature of another body, and one made with a secret the provider never had
                WebhookSignature.header(CURRENT.getBytes(StandardCharsets.UTF_8), Instant.now(),
                        otherBody.getBytes(StandardCharsets.UTF_8)),
                WebhookSignature.header("someone-elses-secret".getBytes(StandardCharsets.UTF_8), Instant.now(),
                        body.getBytes(StandardCharsets.UTF_8)),
        };
        for (String signature : signatures) {
            Reply reply = deliver(body, signature);

            assertThat(reply.status()).as(signature).isEqualTo(401);
            assertThat(reply.error()).as(signature).isEqualTo("UNAUTHORIZED");
        }
        assertThat(orderColumn(orderId, "status")).isEqualTo("PENDING_PAYMENT");
        assertThat(paymentEvents(orderId)).isEqualTo("0");
    }

    @Test
    void shouldAnswer401_whenTheTimestampIsOverFiveMinutesAway() {
        String orderId = pendingOrder();
        String body = body("evt-stale-" + orderId, orderId, 998, "EUR");

        Reply stale = deliverSigned(body, CURRENT, Instant.now().minusSeconds(301));
        Reply future = deliverSigned(body, CURRENT, Instant.now().plusSeconds(301));
        Reply justInTime = deliverSigned(body, CURRENT, Instant.now().minusSeconds(280));

        assertThat(stale.status()).isEqualTo(401);
        assertThat(future.status()).isEqualTo(401);
        assertThat(justInTime.status()).isEqualTo(200);
    }

    @Test
    void shouldAnswer409AndPayNothing_whenTheAmountOrCurrencyIsNotTheOrders() {
        String orderId = pendingOrder();

        Reply unitPrice = deliverSigned(body("evt-amt-" + orderId, orderId, 499, "EUR"), CURRENT, Instant.now());
        Reply currency = deliverSigned(body("evt-cur-" + orderId, orderId, 998, "USD"), CURRENT, Instant.now());

        assertThat(unitPrice.status()).isEqualTo(409);
        assertThat(unitPrice.error()).isEqualTo("CONFLICT");
        assertThat(currency.status()).isEqualTo(409);
        assertThat(orderColumn(orderId, "status")).isEqualTo("PENDING_PAYMENT");
        assertThat(orderColumn(orderId, "provider_ref")).isNull();
        assertThat(paymentEvents(orderId)).isEqualTo("0");
    }

    @Test
    void shouldAnswer409_whenTheOrderIsCancelledOrItsPayByHasPassed() {
        String cancelled = order("CANCELLED", Instant.now().plusSeconds(900));
        String late = order("PENDING_PAYMENT", Instant.now().minusSeconds(1));

        Reply toCancelled = deliverSigned(body("evt-c-" + cancelled, cancelled, 998, "EUR"), CURRENT, Instant.now());
        Reply toLate = deliverSigned(body("evt-l-" + late, late, 998, "EUR"), CURRENT, Instant.now());

        assertThat(toCancelled.status()).isEqualTo(409);
        assertThat(toCancelled.error()).isEqualTo("CONFLICT");
        assertThat(toLate.status()).isEqualTo(409);
        assertThat(orderColumn(late, "status")).isEqualTo("PENDING_PAYMENT");
        assertThat(paymentEvents(cancelled) + paymentEvents(late)).isEqualTo("00");
    }

    @Test
    void shouldAnswerTheSameAndChangeNothing_whenTheSameEventIsReplayed() {
        String orderId = pendingOrder();
        String body = body("evt-replay-" + orderId, orderId, 998, "EUR");
        Reply first = deliverSigned(body, CURRENT, Instant.now());
        String paidAt = orderColumn(orderId, "paid_at");
        long paidBefore = settled();

        Reply replay = deliverSigned(body, CURRENT, Instant.now().plusSeconds(1));

        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(orderColumn(orderId, "paid_at")).isEqualTo(paidAt);
        assertThat(paymentEvents(orderId)).isEqualTo("1");
        assertThat(settledNow(paidBefore)).as("deliveries that paid").isZero();
    }

    @Test
    void shouldAnswer400_whenTheSignedBodyIsNotValid() {
        String orderId = pendingOrder();
        String[] bodies = {
                "not json",
                "{\"eventId\":\"e\",\"orderId\":\"" + orderId + "\",\"amountCents\":\"998\",\"currency\":\"EUR\",\"providerRef\":\"r\",\"status\":\"SUCCEEDED\"}",
                "{\"orderId\":\"" + orderId + "\",\"amountCents\":998,\"currency\":\"EUR\",\"providerRef\":\"r\",\"status\":\"SUCCEEDED\"}",
                body("e-failed", orderId, 998, "EUR").replace("SUCCEEDED", "FAILED"),
        };
        for (String body : bodies) {
            Reply reply = deliverSigned(body, CURRENT, Instant.now());

            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.error()).as(body).isEqualTo("INVALID_REQUEST");
        }
        assertThat(orderColumn(orderId, "status")).isEqualTo("PENDING_PAYMENT");
    }

    @Test
    void shouldPayOnce_whenTheSameEventIsDeliveredConcurrently() throws Exception {
        String orderId = pendingOrder();
        String body = body("evt-race-" + orderId, orderId, 998, "EUR");
        long paidBefore = settled();
        int deliveries = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(deliveries);
        try {
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < deliveries; i++) {
                replies.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return deliverSigned(body, CURRENT, Instant.now());
                }, pool));
            }
            start.countDown();

            for (CompletableFuture<Reply> reply : replies) {
                assertThat(reply.get().status()).as("%s", reply.get().body()).isEqualTo(200);
                assertThat(reply.get().body()).isEqualTo(Map.of("orderId", orderId, "status", "PAID"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(paymentEvents(orderId)).isEqualTo("1");
        assertThat(orderColumn(orderId, "status")).isEqualTo("PAID");
        assertThat(settledNow(paidBefore)).as("deliveries that paid").isEqualTo(1);
    }
}
