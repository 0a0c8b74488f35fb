package com.flashsale.token;

import com.flashsale.http.Events;
import com.flashsale.http.HandlerEquivalence;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.human.HumanCheck;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RedisKeys;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TokenHandler} answers {@code POST /api/flash-sale/token} itself, past Micronaut's adapter:
 * every answer must be the one the adapter gives ({@link HandlerEquivalence}), issued tokens and
 * refusals alike.
 */
@MicronautTest
class TokenHandlerEquivalenceTest extends TokenFunctionTest {

    private static final String TOKEN = TokenHandler.TOKEN_PATH;

    TokenHandlerEquivalenceTest(RealServers realServers) {
        super(realServers);
    }

    @Test
    void shouldAnswerAsMicronautsAdapter_forEveryKindOfTokenRequest() {
        Instant now = Instant.now();
        ProductCard onSale = servers.productOnSale(100, 1);
        ProductCard soldOut = servers.productOnSale(1, 1);
        servers.redis().set(RedisKeys.product(soldOut.productId()).stock(), "0", io.lettuce.core.SetArgs.Builder.keepttl());
        ProductCard notStarted = servers.preload(new ProductCard(TestServers.newProductId(), "tv", 5_000, 5,
                now.plusSeconds(600), now.plusSeconds(1200), 1));
        ProductCard humanCheck = servers.preload(new ProductCard(TestServers.newProductId(), "phone", 99_900, 10,
                now.minusSeconds(3600), now.plusSeconds(3600), 1, new HumanCheck(HumanCheck.Mode.ALTCHA, 1_000)));
        String oversized = "{\"productId\":\"" + onSale.productId() + "\",\"pad\":\"" + "x".repeat(17_000) + "\"}";
        Map<String, Function<String, Events>> cases = new LinkedHashMap<>();
        cases.put("issued", user -> token(user, onSale.productId()));
        cases.put("JSON with a charset", user -> token(user, onSale.productId()).header("Content-Type", "application/json; charset=utf-8"));
        cases.put("sold out", user -> token(user, soldOut.productId()));
        cases.put("sale not started", user -> token(user, notStarted.productId()));
        cases.put("no proof of a human", user -> token(user, humanCheck.productId()));
        cases.put("unknown product", user -> token(user, TestServers.newProductId()));
        cases.put("no product id", user -> Events.user(user).post(TOKEN, "{}"));
        cases.put("not JSON", user -> Events.user(user).post(TOKEN, "{\"productId\":"));
        cases.put("empty body", user -> Events.user(user).post(TOKEN, ""));
        cases.put("over 16 KiB", user -> Events.user(user).post(TOKEN, oversized));
        cases.put("no JWT", user -> Events.anonymous().post(TOKEN, "{\"productId\":\"" + onSale.productId() + "\"}"));
        cases.put("a text body", user -> token(user, onSale.productId()).header("Content-Type", "text/plain"));

        HandlerEquivalence.assertSameAnswers(handler(), cases, TokenHandlerEquivalenceTest::comparableBody);
    }

    private static Events token(String user, String productId) {
        return Events.user(user).post(TOKEN, "{\"productId\":\"" + productId + "\"}");
    }

    /** The body with the token and the times reduced to their kind: each answer has its own. */
    private static Map<String, Object> comparableBody(Map<String, Object> body) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        copy.computeIfPresent("token", (key, token) -> {
            assertThat(token.toString().split("\\.")).hasSize(3);
            return "a JWS";
        });
        for (String time : new String[] {"expiresAt", "serverTime", "startsAt"}) {
            copy.computeIfPresent(time, (key, instant) -> {
                Instant.parse(instant.toString()); // throws when it is not one
                return "an instant";
            });
        }
        return copy;
    }
}
