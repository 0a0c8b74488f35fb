package com.flashsale.buy;

import com.flashsale.http.Events;
import com.flashsale.http.HandlerEquivalence;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.redis.ProductCard;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BuyHandler} answers {@code POST /api/flash-sale/buy} itself, past Micronaut's adapter: every
 * answer must be the one the adapter gives ({@link HandlerEquivalence}), refusals and acceptances alike.
 */
@MicronautTest
class BuyHandlerEquivalenceTest extends BuyTest {

    BuyHandlerEquivalenceTest(RealServers realServers) {
        super(realServers);
    }

    @Test
    void shouldAnswerAsMicronautsAdapter_forEveryKindOfBuy() {
        ProductCard onSale = servers.productOnSale(100, 1);
        ProductCard soldOut = servers.productOnSale(0, 1);
        String oversized = "{\"productId\":\"" + onSale.productId() + "\",\"pad\":\"" + "x".repeat(17_000) + "\"}";
        Map<String, Function<String, Events>> cases = new LinkedHashMap<>();
        cases.put("accepted", user -> buy(user, onSale, servers.token(user, onSale.productId())));
        cases.put("accepted with an Idempotency-Key",
                user -> buy(user, onSale, servers.token(user, onSale.productId())).header("Idempotency-Key", "k-" + user));
        cases.put("JSON with a charset",
                user -> buy(user, onSale, servers.token(user, onSale.productId())).header("Content-Type", "application/json; charset=utf-8"));
        cases.put("sold out", user -> buy(user, soldOut, servers.token(user, soldOut.productId())));
        cases.put("token of another user", user -> buy(user, onSale, servers.token("someone-else", onSale.productId())));
        cases.put("not a token", user -> buy(user, onSale, "not-a-token"));
        cases.put("unknown product", user -> Events.user(user).post("/api/flash-sale/buy", BuyFixture.body("p-unknown", 1, "x")));
        cases.put("quantity over the limit", user -> Events.user(user).post("/api/flash-sale/buy",
                BuyFixture.body(onSale.productId(), 2, servers.token(user, onSale.productId()))));
        cases.put("bad Idempotency-Key", user -> buy(user, onSale, "x").header("Idempotency-Key", "no spaces allowed"));
        cases.put("not JSON", user -> Events.user(user).post("/api/flash-sale/buy", "{productId"));
        cases.put("empty body", user -> Events.user(user).post("/api/flash-sale/buy", ""));
        cases.put("over 16 KiB", user -> Events.user(user).post("/api/flash-sale/buy", oversized));
        cases.put("no JWT", user -> Events.anonymous().post("/api/flash-sale/buy", BuyFixture.body(onSale.productId(), 1, "x")));
        cases.put("a text body", user -> buy(user, onSale, "x").header("Content-Type", "text/plain"));

        HandlerEquivalence.assertSameAnswers(handler(), cases, BuyHandlerEquivalenceTest::comparableBody);
        assertThat(servers.stock(onSale.productId())).isEqualTo(100 - 2 * 3);
    }

    private static Events buy(String user, ProductCard product, String token) {
        return Events.user(user).post("/api/flash-sale/buy", BuyFixture.body(product.productId(), 1, token));
    }

    /** The body with its request id reduced to its product part: each purchase gets its own. */
    private static Map<String, Object> comparableBody(Map<String, Object> body) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        copy.computeIfPresent("requestId", (key, id) -> id.toString().substring(0, id.toString().indexOf('.')));
        return copy;
    }
}
