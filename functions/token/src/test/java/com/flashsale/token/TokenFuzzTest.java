package com.flashsale.token;

import com.flashsale.http.Events;
import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.RequestFuzzer;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RedisKeys;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/reliability.md row 13 for the token function, as a fuzz run through {@link RequestFuzzer}: token
 * requests for a product on sale, mutated at random (the product id, the body, claims, encoding),
 * or aimed at a product not on sale yet, sold out, never preloaded or unknown. No request, issued
 * or refused, changes any key of those products: tokens are stateless.
 */
@MicronautTest
class TokenFuzzTest extends TokenFunctionTest {

    private static final int REQUESTS = RequestFuzzer.requests(300);
    private static final int PER_PRODUCT = 25;
    private static final String PATH = "/api/flash-sale/token";

    TokenFuzzTest(RealServers realServers) {
        super(realServers);
    }

    @Override
    protected Map<String, Object> properties() {
        Map<String, Object> properties = super.properties();
        properties.putAll(CROWD_RATE_LIMITS); // or the limits would hide the handler behind 429s
        return properties;
    }

    @Test
    void shouldNeverAnswer500NorChangeState_whenRequestsAreRandomOrMutated() {
        RequestFuzzer fuzzer = new RequestFuzzer();
        List<String> products = List.of();
        for (int i = 0; i < REQUESTS; i++) {
            if (i % PER_PRODUCT == 0) {
                products = products(servers);
            }
            List<String> mutations = new ArrayList<>();
            Events events = mutated(fuzzer, products, mutations);
            Map<String, Map<String, String>> before = states(servers, products);

            Reply reply = handler().invoke(events);

            String what = fuzzer.describe(i, mutations, reply);
            fuzzer.check(reply, what, mutations.contains(RequestFuzzer.MUST_BE_REFUSED));
            assertThat(states(servers, products)).as(what).isEqualTo(before);
        }
        System.out.printf("fuzz: %d token requests of seed %d: %s%n", REQUESTS, RequestFuzzer.SEED, fuzzer.outcomes());
        assertThat(fuzzer.outcomes().keySet()).as("the mutations reach past the first checks")
                .anyMatch(k -> k.startsWith("200")).anyMatch(k -> k.startsWith("403 SALE_NOT_STARTED"))
                .anyMatch(k -> k.startsWith("409 SOLD_OUT")).anyMatch(k -> k.startsWith("404"));
    }

    /** On sale, not started, sold out, not preloaded (unknown to Redis). */
    private static List<String> products(TestServers servers) {
        Instant now = Instant.now();
        String onSale = servers.productOnSale(100, 1).productId();
        String notStarted = servers.preload(new ProductCard(TestServers.newProductId(), "tv", 50_000, 10,
                now.plusSeconds(3600), now.plusSeconds(7200), 1)).productId();
        String soldOut = servers.productOnSale(1, 1).productId();
        servers.redis().set(RedisKeys.product(soldOut).stock(), "0");
        return List.of(onSale, notStarted, soldOut, TestServers.newProductId());
    }

    private static Events mutated(RequestFuzzer fuzzer, List<String> products, List<String> mutations) {
        var random = fuzzer.random();
        String onSale = "\"" + products.get(0) + "\"";
        String productId = onSale;
        boolean anonymous = false;
        Events events = Events.user("fuzz-" + random.nextInt(200)).from("198.51.100." + random.nextInt(256));
        String body = null;
        int count = 1 + random.nextInt(2);
        for (int m = 0; m < count; m++) {
            int kind = random.nextInt(6);
            mutations.add(String.valueOf(kind));
            switch (kind) {
                case 0 -> productId = fuzzer.oddValue();
                case 1 -> productId = "\"" + products.get(1 + random.nextInt(products.size() - 1)) + "\"";
                case 2 -> body = fuzzer.brokenBody(json(productId));
                case 3 -> anonymous |= switch (fuzzer.claims(events)) {
                    case REMOVED, SUBJECT_EMPTY -> true;
                    default -> false;
                };
                case 4 -> events.base64(true);
                default -> { } // as it is: a valid request now and then
            }
        }
        if (anonymous || !productId.equals(onSale)) {
            mutations.add(RequestFuzzer.MUST_BE_REFUSED); // nobody's call, or a product not on sale
        }
        return events.post(PATH, fuzzer.encoded(events, body == null ? json(productId) : body));
    }

    private static String json(String productId) {
        return "{\"productId\":" + productId + "}";
    }

    private static Map<String, Map<String, String>> states(TestServers servers, List<String> products) {
        return products.stream().collect(Collectors.toMap(p -> p, servers::productState));
    }
}
