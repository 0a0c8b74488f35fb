package com.flashsale.buy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.flashsale.http.Events;
import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.RequestFuzzer;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.token.InvalidPurchaseTokenException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/reliability.md row 13, as a fuzz run: a few thousand buy requests, each a valid one mutated at
 * random (body, fields, token, headers, claims, size, encoding), through {@link RequestFuzzer}
 * (seeded; its checks of every reply against docs/api.md). A refused request leaves the product's Redis
 * state exactly as it was and its token unspent (the buy function writes nothing to Postgres).
 */
@MicronautTest
class BuyFuzzTest extends BuyTest {

    private static final int REQUESTS = RequestFuzzer.requests(1_000);
    private static final int PER_PRODUCT = 20;
    private static final String PATH = "/api/flash-sale/buy";

    BuyFuzzTest(RealServers realServers) {
        super(realServers);
    }

    @Test
    void shouldNeverAnswer500NorChangeState_whenRequestsAreRandomOrMutated() throws Exception {
        RequestFuzzer fuzzer = new RequestFuzzer();
        ProductCard product = null;
        ProductCard other = null;
        for (int i = 0; i < REQUESTS; i++) {
            if (i % PER_PRODUCT == 0) {
                // fresh products now and then: the state compared before and after stays small
                product = servers.productOnSale(1_000, 1);
                other = servers.productOnSale(1_000, 1);
            }
            Request request = mutated(fuzzer, product, other);
            settled(product, other);
            Map<String, String> before = state(product);
            Map<String, String> otherBefore = state(other);

            Reply reply = fixture.buy.invoke(request.event());

            String what = fuzzer.describe(i, request.mutations(), reply);
            if (fuzzer.check(reply, what, request.mutations().contains(RequestFuzzer.MUST_BE_REFUSED))) {
                assertThat(state(product)).as(what).isEqualTo(before);
                assertThat(state(other)).as(what).isEqualTo(otherBefore);
                assertThat(servers.redis().exists(request.nonceKey())).as(what + ": its token still unspent")
                        .isZero();
            }
        }
        System.out.printf("fuzz: %d buy requests of seed %d: %s%n", REQUESTS, RequestFuzzer.SEED, fuzzer.outcomes());
        assertThat(fuzzer.outcomes().keySet()).as("the mutations reach past the first checks")
                .anyMatch(k -> k.startsWith("202")).anyMatch(k -> k.startsWith("403"));
    }

    private record Request(APIGatewayV2HTTPEvent event, List<String> mutations, String nonceKey) {
    }

    /**
     * An accepted request's outbox entry is deleted from its Kafka acknowledgement's callback, after
     * the reply: wait for it, or it would look like a change made by the next (refused) request.
     */
    private void settled(ProductCard... products) {
        for (ProductCard product : products) {
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(10))
                    .until(() -> servers.outboxLength(product.productId()) == 0);
        }
    }

    /**
     * The product's Redis keys but its buy buckets, which every request that reaches the admission
     * script is charged to, refused or not (the request's own nonce is checked apart).
     */
    private Map<String, String> state(ProductCard product) {
        return servers.productStateButBuckets(product.productId());
    }

    /** A valid request (fresh token, maybe an Idempotency-Key), then one to three random mutations. */
    private Request mutated(RequestFuzzer fuzzer, ProductCard product, ProductCard other)
            throws InvalidPurchaseTokenException {
        var random = fuzzer.random();
        String userId = "fuzz-" + random.nextInt(200);
        String token = servers.token(userId, product.productId());
        String nonceKey = RedisKeys.product(product.productId())
                .spentNonce(servers.codec().verify(token, userId, product.productId(), Instant.now()).nonce());
        String[] fields = {"\"" + product.productId() + "\"", "1", "\"" + token + "\""};
        Events events = Events.user(userId).from("198.51.100." + random.nextInt(256));
        if (random.nextBoolean()) {
            events.header("Idempotency-Key", "k-" + random.nextInt(1_000));
        }
        List<String> mutations = new ArrayList<>();
        String body = null;
        String foreignToken = null; // a token whose user or product is not this request's: it must be refused
        boolean identityLost = false;
        int count = 1 + random.nextInt(3);
        for (int m = 0; m < count; m++) {
            int kind = random.nextInt(8);
            mutations.add(String.valueOf(kind));
            switch (kind) {
                case 0 -> fields[random.nextInt(3)] = fuzzer.oddValue();
                case 1 -> fields[2] = "\"" + fuzzer.flip(token) + "\"";
                case 2 -> {
                    int which = random.nextInt(4);
                    String foreign = switch (which) {
                        case 0 -> servers.token("someone-else", product.productId());
                        case 1 -> servers.token(userId, other.productId());
                        case 2 -> servers.unregisteredToken(userId, product.productId(), Instant.now().minusSeconds(5));
                        default -> servers.unregisteredToken(userId, product.productId(), Instant.now().plusSeconds(60));
                    };
                    fields[2] = "\"" + foreign + "\"";
                    foreignToken = which < 2 ? fields[2] : null;
                }
                case 3 -> fields[0] = "\"" + (random.nextBoolean() ? other.productId() : "p-" + random.nextInt(1_000)) + "\"";
                case 4 -> body = fuzzer.brokenBody(json(fields));
                case 5 -> events.header("Idempotency-Key", fuzzer.headerValue(random.nextInt(100)));
                case 6 -> identityLost |= fuzzer.claims(events).identityLost();
                default -> events.base64(true);
            }
        }
        // another user's token, or one of another product sent for this one, or a caller who is not the token's user
        if (identityLost || foreignToken != null && foreignToken.equals(fields[2])
                && fields[0].equals("\"" + product.productId() + "\"")) {
            mutations.add(RequestFuzzer.MUST_BE_REFUSED);
        }
        events.post(PATH, fuzzer.encoded(events, body == null ? json(fields) : body));
        return new Request(events.event(), mutations, nonceKey);
    }

    private static String json(String[] fields) {
        return "{\"productId\":" + fields[0] + ",\"quantity\":" + fields[1] + ",\"token\":" + fields[2] + "}";
    }
}
