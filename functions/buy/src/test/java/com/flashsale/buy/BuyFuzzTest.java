package com.flashsale.buy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.flashsale.http.Events;
import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.token.InvalidPurchaseTokenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY.md row 13, as a fuzz run: a few thousand buy requests, each a valid one mutated at
 * random (body, fields, token, headers, claims, size, encoding, method and path), from a seeded
 * {@link Random} so that a failure names the seed and the request number that reproduce it
 * ({@code -Dfuzz.seed=… -Dfuzz.requests=…}). Never a 500 (never a 5xx but 503, and the servers are
 * up here); every 4xx carries the JSON error body; a refused request leaves the product's Redis
 * state exactly as it was (the buy function writes nothing to Postgres).
 */
@ExtendWith(RealServersExtension.class)
class BuyFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20_261_123L);
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 1_000);
    private static final int PER_PRODUCT = 20;
    private static final String PATH = "/api/flash-sale/buy";
    private static final List<String> ODD_VALUES = List.of("null", "true", "-1", "0", "1.5", "1e309", "\"1\"", "[]", "{}",
            "99999999999999999999", "\"\\u0000\"", "\"" + "x".repeat(5_000) + "\"", "\"../../etc\"", "\"\u00e9\u4e2d\ud83d\ude00\"");

    @Test
    void shouldNeverAnswer500NorChangeState_whenRequestsAreRandomOrMutated(RealServers realServers) throws Exception {
        Random random = new Random(SEED);
        try (BuyFixture fixture = new BuyFixture(realServers, Map.of())) {
            ProductCard product = null;
            ProductCard other = null;
            Map<String, Integer> outcomes = new TreeMap<>();
            for (int i = 0; i < REQUESTS; i++) {
                if (i % PER_PRODUCT == 0) {
                    // fresh products now and then: the state compared before and after stays small
                    product = fixture.servers.productOnSale(1_000, 1);
                    other = fixture.servers.productOnSale(1_000, 1);
                }
                Request request = mutated(random, fixture, product, other);
                Map<String, String> before = state(fixture, product);
                Map<String, String> otherBefore = state(fixture, other);

                Reply reply = fixture.buy.invoke(request.event());

                String what = "request " + i + " of seed " + SEED + " (" + request.mutations() + ") got " + reply;
                outcomes.merge(reply.status() + " " + (reply.status() < 300 ? "" : reply.error()), 1, Integer::sum);
                assertThat(reply.status()).as(what).isNotEqualTo(500).isBetween(200, 503);
                if (reply.status() >= 400) {
                    assertThat(reply.error()).as(what).isNotBlank();
                    assertThat(reply.string("message")).as(what).isNotBlank();
                    assertThat(state(fixture, product)).as(what).isEqualTo(before);
                    assertThat(state(fixture, other)).as(what).isEqualTo(otherBefore);
                    assertThat(fixture.servers.redis().exists(request.nonceKey())).as(what + ": its token still unspent")
                            .isEqualTo(1L);
                }
            }
            System.out.printf("fuzz: %d requests of seed %d: %s%n", REQUESTS, SEED, outcomes);
            assertThat(outcomes.keySet()).as("the mutations reach past the first checks")
                    .anyMatch(k -> k.startsWith("202")).anyMatch(k -> k.startsWith("403"));
        }
    }

    private record Request(APIGatewayV2HTTPEvent event, List<String> mutations, String nonceKey) {
    }

    /**
     * The product's Redis keys but its token nonces, which expire on their own a minute after each
     * request's token was issued (the request's own nonce is checked apart).
     */
    private static Map<String, String> state(BuyFixture fixture, ProductCard product) {
        String nonces = RedisKeys.product(product.productId()).nonce("");
        Map<String, String> state = new TreeMap<>(fixture.servers.productState(product.productId()));
        state.keySet().removeIf(key -> key.startsWith(nonces));
        return state;
    }

    /** A valid request (fresh token, maybe an Idempotency-Key), then one to three random mutations. */
    private static Request mutated(Random random, BuyFixture fixture, ProductCard product, ProductCard other)
            throws InvalidPurchaseTokenException {
        String userId = "fuzz-" + random.nextInt(200);
        String token = fixture.servers.token(userId, product.productId());
        String nonceKey = RedisKeys.product(product.productId())
                .nonce(fixture.servers.codec().verify(token, userId, product.productId(), Instant.now()).nonce());
        String[] fields = {"\"" + product.productId() + "\"", "1", "\"" + token + "\""};
        Events events = Events.user(userId).from("198.51.100." + random.nextInt(256));
        if (random.nextBoolean()) {
            events.header("Idempotency-Key", "k-" + random.nextInt(1_000));
        }
        List<String> mutations = new ArrayList<>();
        String body = null;
        int count = 1 + random.nextInt(3);
        for (int m = 0; m < count; m++) {
            int kind = random.nextInt(12);
            mutations.add(String.valueOf(kind));
            switch (kind) {
                case 0 -> fields[random.nextInt(3)] = ODD_VALUES.get(random.nextInt(ODD_VALUES.size()));
                case 1 -> fields[2] = "\"" + flip(random, token) + "\"";
                case 2 -> fields[2] = "\"" + switch (random.nextInt(4)) {
                    case 0 -> fixture.servers.token("someone-else", product.productId());
                    case 1 -> fixture.servers.token(userId, other.productId());
                    case 2 -> fixture.servers.unregisteredToken(userId, product.productId(), Instant.now().minusSeconds(5));
                    default -> fixture.servers.unregisteredToken(userId, product.productId(), Instant.now().plusSeconds(60));
                } + "\"";
                case 3 -> fields[0] = "\"" + (random.nextBoolean() ? other.productId() : "p-" + random.nextInt(1_000)) + "\"";
                case 4 -> body = flip(random, json(fields));
                case 5 -> body = json(fields).substring(0, random.nextInt(json(fields).length()));
                case 6 -> body = randomText(random, random.nextInt(300));
                case 7 -> body = json(fields).replace("}", ",\"pad\":\"" + "p".repeat(16_384 + random.nextInt(20_000)) + "\"}");
                case 8 -> events.header("Idempotency-Key", headerValue(random, random.nextInt(100)));
                case 9 -> claims(random, events);
                case 10 -> events.base64(true);
                default -> body = random.nextBoolean() ? "" : "null";
            }
        }
        String text = body == null ? json(fields) : body;
        events.post(PATH, events.event().getIsBase64Encoded() && random.nextBoolean()
                ? Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) : text);
        return new Request(events.event(), mutations, nonceKey);
    }

    private static String json(String[] fields) {
        return "{\"productId\":" + fields[0] + ",\"quantity\":" + fields[1] + ",\"token\":" + fields[2] + "}";
    }

    private static void claims(Random random, Events events) {
        switch (random.nextInt(5)) {
            case 0 -> events.event().getRequestContext().getAuthorizer().getJwt().setClaims(Map.of());
            case 1 -> events.claim("sub", "");
            case 2 -> events.claim("sub", "u".repeat(10_000));
            case 3 -> events.claim("sub", randomText(random, 20));
            default -> events.claim("scope", "openid flashsale/admin");
        }
    }

    /** One to five characters replaced, inserted or deleted at random places. */
    private static String flip(Random random, String text) {
        StringBuilder out = new StringBuilder(text);
        int edits = 1 + random.nextInt(5);
        for (int e = 0; e < edits && out.length() > 0; e++) {
            int at = random.nextInt(out.length());
            switch (random.nextInt(3)) {
                case 0 -> out.setCharAt(at, randomChar(random));
                case 1 -> out.insert(at, randomChar(random));
                default -> out.deleteCharAt(at);
            }
        }
        return out.toString();
    }

    private static String randomText(Random random, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(randomChar(random));
        }
        return out.toString();
    }

    /**
     * What an HTTP header can bring through API Gateway: visible ASCII, obs-text and inner spaces or
     * tabs; no control characters, no white space at either end (HTTP parsers refuse or trim those,
     * and Micronaut answers a bare 500 to them, see docs/reliability.md).
     */
    private static String headerValue(Random random, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            out.append(kind == 0 && i > 0 && i < length - 1 ? (random.nextBoolean() ? ' ' : '\t')
                    : kind == 1 ? (char) (0x80 + random.nextInt(0x80)) : (char) (0x21 + random.nextInt(0x5e)));
        }
        return out.toString();
    }

    private static char randomChar(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> "{}[]\":,\\".charAt(random.nextInt(8));
            case 1 -> (char) random.nextInt(0x20);
            case 2 -> (char) (0x20 + random.nextInt(0x5f));
            default -> (char) random.nextInt(0xd800);
        };
    }
}
