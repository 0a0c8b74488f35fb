package com.flashsale.buy;

import com.flashsale.http.Events;
import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.token.PurchaseToken;
import com.flashsale.shared.token.PurchaseTokenCodec;
import com.flashsale.shared.token.TokenKey;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/reliability.md row 13: malformed requests of every kind get a 4xx with docs/api.md's JSON error body,
 * never a 500, and leave the product's Redis state exactly as it was.
 */
@MicronautTest
class BuyBadInputTest extends BuyTest {

    private ProductCard product;
    private ProductCard otherProduct;

    BuyBadInputTest(RealServers realServers) {
        super(realServers);
    }

    @BeforeAll
    void products() {
        product = servers.productOnSale(10, 1);
        otherProduct = servers.productOnSale(10, 2);
    }

    private record Case(String name, Supplier<Events> request, int status, String error) {
    }

    private Events post(String body) {
        return Events.user("victim").post("/api/flash-sale/buy", body);
    }

    private String body(String quantityJson, String tokenJson) {
        return "{\"productId\":\"" + product.productId() + "\"" + (quantityJson == null ? "" : ",\"quantity\":" + quantityJson)
                + (tokenJson == null ? "" : ",\"token\":" + tokenJson) + "}";
    }

    private String token(String userId, String productId, Instant expiresAt) {
        return "\"" + servers.unregisteredToken(userId, productId, expiresAt) + "\"";
    }

    private List<Case> cases() {
        Instant later = Instant.now().plusSeconds(60);
        String good = token("victim", product.productId(), later);
        // a token whose nonce an earlier purchase spent (marked as the admission script marks it)
        String spentNonce = UUID.randomUUID().toString();
        servers.redis().setex(RedisKeys.product(product.productId()).spentNonce(spentNonce), 600, "1");
        String spent = "\"" + servers.codec().encode(new PurchaseToken("victim", product.productId(), spentNonce, later)) + "\"";
        String forgedKey = "\"" + new PurchaseTokenCodec(TokenKey.parse("test-k1:another-secret-of-at-least-32-bytes!!"), Optional.empty())
                .encode(new PurchaseToken("victim", product.productId(), "n1", later)) + "\"";
        String unknownKid = "\"" + new PurchaseTokenCodec(TokenKey.parse("k9:0123456789abcdef0123456789abcdef-test-only"), Optional.empty())
                .encode(new PurchaseToken("victim", product.productId(), "n1", later)) + "\"";
        String unsigned = "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"kid\":\"test-k1\"}".getBytes())
                + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"sub\":\"victim\",\"pid\":\"" + product.productId()
                + "\",\"jti\":\"n\",\"exp\":9999999999}").getBytes()) + ".\"";
        String goodToken = good.substring(1, good.length() - 1);
        String tampered = "\"" + goodToken.substring(0, goodToken.length() - 2) + (goodToken.endsWith("AA") ? "BB" : "AA") + "\"";
        String pid = product.productId();
        List<Case> cases = new ArrayList<>(List.of(
                // the body is not a JSON object
                new Case("no body", () -> post(null), 400, "INVALID_REQUEST"),
                new Case("empty body", () -> post(""), 400, "INVALID_REQUEST"),
                new Case("broken JSON", () -> post("{\"productId\":"), 400, "INVALID_REQUEST"),
                new Case("not JSON", () -> post("productId=p1&quantity=1"), 400, "INVALID_REQUEST"),
                new Case("JSON array", () -> post("[]"), 400, "INVALID_REQUEST"),
                new Case("JSON null", () -> post("null"), 400, "INVALID_REQUEST"),
                new Case("JSON number", () -> post("123"), 400, "INVALID_REQUEST"),
                new Case("JSON string", () -> post("\"buy\""), 400, "INVALID_REQUEST"),
                new Case("single quotes", () -> post("{'productId':'" + pid + "'}"), 400, "INVALID_REQUEST"),
                new Case("unterminated string", () -> post("{\"productId\":\"" + pid + "}"), 400, "INVALID_REQUEST"),
                new Case("deeply nested", () -> post("[".repeat(5000) + "]".repeat(5000)), 400, "INVALID_REQUEST"),
                new Case("deeply nested field", () -> post("{\"productId\":\"" + pid + "\",\"x\":" + "[".repeat(3000) + "]".repeat(3000) + "}"), 400, "INVALID_REQUEST"),
                new Case("invalid base64", () -> post("!!!").base64(true), 400, "INVALID_REQUEST"),
                new Case("invalid UTF-8", () -> post(Base64.getEncoder().encodeToString(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'})).base64(true), 400, "INVALID_REQUEST"),
                // fields missing or wrongly typed
                new Case("empty object", () -> post("{}"), 400, "INVALID_REQUEST"),
                new Case("productId null", () -> post("{\"productId\":null,\"token\":" + good + "}"), 400, "INVALID_REQUEST"),
                new Case("productId number", () -> post("{\"productId\":123,\"token\":" + good + "}"), 400, "INVALID_REQUEST"),
                new Case("productId object", () -> post("{\"productId\":{\"id\":\"" + pid + "\"}}"), 400, "INVALID_REQUEST"),
                new Case("productId array", () -> post("{\"productId\":[\"" + pid + "\"]}"), 400, "INVALID_REQUEST"),
                new Case("quantity string", () -> post(body("\"1\"", good)), 400, "INVALID_REQUEST"),
                new Case("quantity zero", () -> post(body("0", good)), 400, "INVALID_REQUEST"),
                new Case("quantity negative", () -> post(body("-1", good)), 400, "INVALID_REQUEST"),
                new Case("quantity fraction", () -> post(body("1.5", good)), 400, "INVALID_REQUEST"),
                new Case("quantity huge", () -> post(body("1e10", good)), 400, "INVALID_REQUEST"),
                new Case("quantity beyond long", () -> post(body("99999999999999999999999", good)), 400, "INVALID_REQUEST"),
                new Case("quantity min int", () -> post(body("-2147483648", good)), 400, "INVALID_REQUEST"),
                new Case("quantity boolean", () -> post(body("true", good)), 400, "INVALID_REQUEST"),
                new Case("quantity array", () -> post(body("[1]", good)), 400, "INVALID_REQUEST"),
                new Case("quantity object", () -> post(body("{}", good)), 400, "INVALID_REQUEST"),
                new Case("quantity over the product's limit", () -> post(body("2", good)), 400, "INVALID_REQUEST"),
                new Case("quantity over any limit", () -> post(body("11", good)), 400, "INVALID_REQUEST"),
                new Case("token number", () -> post(body("1", "123")), 400, "INVALID_REQUEST"),
                new Case("token object", () -> post(body("1", "{}")), 400, "INVALID_REQUEST"),
                // purchase tokens
                new Case("token absent", () -> post(body("1", null)), 403, "INVALID_TOKEN"),
                new Case("token null", () -> post(body("1", "null")), 403, "INVALID_TOKEN"),
                new Case("token empty", () -> post(body("1", "\"\"")), 403, "INVALID_TOKEN"),
                new Case("token garbage", () -> post(body("1", "\"abc\"")), 403, "INVALID_TOKEN"),
                new Case("token three dots", () -> post(body("1", "\"a.b.c\"")), 403, "INVALID_TOKEN"),
                new Case("token oversized", () -> post(body("1", "\"" + "a".repeat(3000) + "\"")), 403, "INVALID_TOKEN"),
                new Case("token forged with another key", () -> post(body("1", forgedKey)), 403, "INVALID_TOKEN"),
                new Case("token with unknown key id", () -> post(body("1", unknownKid)), 403, "INVALID_TOKEN"),
                new Case("token unsigned (alg none)", () -> post(body("1", unsigned)), 403, "INVALID_TOKEN"),
                new Case("token signature tampered", () -> post(body("1", tampered)), 403, "INVALID_TOKEN"),
                new Case("token expired", () -> post(body("1", token("victim", pid, Instant.now().minusSeconds(5)))), 403, "INVALID_TOKEN"),
                new Case("token of another user", () -> post(body("1", token("someone-else", pid, later))), 403, "INVALID_TOKEN"),
                new Case("token of another product", () -> post(body("1", token("victim", otherProduct.productId(), later))), 403, "INVALID_TOKEN"),
                new Case("token whose nonce a purchase spent", () -> post(body("1", spent)), 403, "INVALID_TOKEN"),
                // products
                new Case("unknown product", () -> post("{\"productId\":\"" + TestServers.newProductId() + "\",\"token\":" + good + "}"), 404, "NOT_FOUND"),
                new Case("product id with path characters", () -> post("{\"productId\":\"../" + pid + "\",\"token\":" + good + "}"), 404, "NOT_FOUND"),
                new Case("product id with a hash tag", () -> post("{\"productId\":\"}{p:" + pid + "\",\"token\":" + good + "}"), 404, "NOT_FOUND"),
                new Case("product id too long", () -> post("{\"productId\":\"" + "p".repeat(65) + "\",\"token\":" + good + "}"), 404, "NOT_FOUND"),
                new Case("product id empty", () -> post("{\"productId\":\"\",\"token\":" + good + "}"), 404, "NOT_FOUND"),
                // size
                new Case("body over 16 KiB", () -> post("{\"productId\":\"" + pid + "\",\"pad\":\"" + "x".repeat(16_400) + "\"}"), 413, "PAYLOAD_TOO_LARGE"),
                new Case("base64 body over 16 KiB", () -> post(Base64.getEncoder().encodeToString(("{\"pad\":\"" + "y".repeat(20_000) + "\"}")
                        .getBytes(StandardCharsets.UTF_8))).base64(true), 413, "PAYLOAD_TOO_LARGE"),
                new Case("multi-byte body over 16 KiB", () -> post("{\"pad\":\"" + "é".repeat(9_000) + "\"}"), 413, "PAYLOAD_TOO_LARGE"),
                // Idempotency-Key
                new Case("idempotency key too long", () -> post(body("1", good)).header("Idempotency-Key", "k".repeat(65)), 400, "INVALID_REQUEST"),
                new Case("idempotency key with a space", () -> post(body("1", good)).header("Idempotency-Key", "a b"), 400, "INVALID_REQUEST"),
                new Case("idempotency key with a slash", () -> post(body("1", good)).header("Idempotency-Key", "a/b"), 400, "INVALID_REQUEST"),
                new Case("idempotency key with a colon", () -> post(body("1", good)).header("Idempotency-Key", "u1:k"), 400, "INVALID_REQUEST"),
                new Case("idempotency key not ASCII", () -> post(body("1", good)).header("Idempotency-Key", "ключ"), 400, "INVALID_REQUEST"),
                // identity
                new Case("no JWT claims", () -> Events.anonymous().post("/api/flash-sale/buy", body("1", good)), 401, "UNAUTHORIZED"),
                new Case("empty sub claim", () -> post(body("1", good)).claim("sub", ""), 401, "UNAUTHORIZED"),
                new Case("oversized sub claim", () -> post(body("1", good)).claim("sub", "u".repeat(500)), 401, "UNAUTHORIZED"),
                // routes
                new Case("unknown route", () -> Events.user("victim").post("/api/flash-sale/buy-now", body("1", good)), 404, "NOT_FOUND"),
                new Case("wrong method", () -> Events.user("victim").get("/api/flash-sale/buy"), 405, null)));
        return cases;
    }

    @Test
    void shouldAnswer4xxJsonAndChangeNothing_whenRequestMalformed() {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(50);
        Map<String, String> before = servers.productStateButBuckets(product.productId());
        Map<String, String> otherBefore = servers.productStateButBuckets(otherProduct.productId());

        for (Case c : cases) {
            Reply reply = fixture.buy.invoke(c.request().get());

            assertThat(reply.status()).as(c.name() + ": " + reply).isEqualTo(c.status());
            assertThat(reply.body()).as(c.name()).containsKeys("error", "message");
            if (c.error() != null) {
                assertThat(reply.error()).as(c.name()).isEqualTo(c.error());
            }
        }

        assertThat(servers.productStateButBuckets(product.productId())).isEqualTo(before);
        assertThat(servers.productStateButBuckets(otherProduct.productId())).isEqualTo(otherBefore);
    }
}
