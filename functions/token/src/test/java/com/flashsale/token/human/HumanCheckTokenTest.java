package com.flashsale.token.human;

import com.flashsale.http.Events;
import com.flashsale.http.LambdaHarness;
import com.flashsale.token.TokenFunctionTest;
import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.human.HumanCheck;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RedisKeys;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.altcha.altcha.Altcha;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token step's human check on real Redis, through the token function's Lambda handler: the
 * challenge route, ALTCHA proofs (good, missing, wrong, reused, forged, expired, another user's or
 * product's) and a hosted captcha against a local stand-in of its siteverify endpoint. Every refusal
 * leaves the product's Redis keys exactly as they were.
 */
@MicronautTest
class HumanCheckTokenTest extends TokenFunctionTest {

    /** A test-only ALTCHA key (32+ characters), never used anywhere else. */
    static final String ALTCHA_KEY = "altcha-test-key-0123456789abcdef-test-only";
    private static final int DIFFICULTY = 2_000;

    private final CaptchaStandIn provider = new CaptchaStandIn(2_000);

    HumanCheckTokenTest(RealServers realServers) {
        super(realServers);
    }

    @Override
    protected Map<String, Object> properties() {
        Map<String, Object> properties = super.properties();
        properties.put("flashsale.human.altcha-key", ALTCHA_KEY);
        properties.put("flashsale.human.provider-verify-url", provider.url());
        properties.put("flashsale.human.provider-secret", CaptchaStandIn.SECRET);
        properties.put("flashsale.human.provider-timeout", "500ms");
        properties.putAll(CROWD_RATE_LIMITS);
        return properties;
    }

    @AfterAll
    void stopProvider() {
        provider.close();
    }

    private ProductCard productWith(HumanCheck check) {
        Instant now = Instant.now();
        return servers.preload(new ProductCard(TestServers.newProductId(), "phone", 99_900, 10,
                now.minusSeconds(3600), now.plusSeconds(3600), 1, check));
    }

    private ProductCard altchaProduct() {
        return productWith(new HumanCheck(HumanCheck.Mode.ALTCHA, DIFFICULTY));
    }

    private Reply challenge(String userId, String productId) {
        return handler().invoke(challengeEvent(userId, productId));
    }

    private static Events challengeEvent(String userId, String productId) {
        Events events = Events.user(userId).get("/api/flash-sale/challenge");
        if (productId != null) {
            events.event().setRawQueryString("productId=" + productId);
            events.event().setQueryStringParameters(Map.of("productId", productId));
        }
        return events;
    }

    private Reply token(String userId, String productId, String field, String proof) {
        String extra = proof == null ? "" : ",\"" + field + "\":\"" + proof + "\"";
        return handler().invoke(Events.user(userId).post("/api/flash-sale/token",
                "{\"productId\":\"" + productId + "\"" + extra + "}"));
    }

    /** What the widget sends: the base64 JSON of the challenge with the number found. */
    static String solve(Map<String, Object> challenge) throws Exception {
        Altcha.Solution solution = Altcha.solveChallenge((String) challenge.get("challenge"), (String) challenge.get("salt"),
                Altcha.Algorithm.SHA256, ((Number) challenge.get("maxnumber")).longValue(), 0);
        return payload(challenge, solution.number);
    }

    private static String payload(Map<String, Object> challenge, long number) {
        String json = "{\"algorithm\":\"" + challenge.get("algorithm") + "\",\"challenge\":\"" + challenge.get("challenge")
                + "\",\"number\":" + number + ",\"salt\":\"" + challenge.get("salt") + "\",\"signature\":\""
                + challenge.get("signature") + "\"}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A challenge made with the library directly: {@code key} and {@code expires} chosen by the test. */
    private static Map<String, Object> craftedChallenge(String key, String userId, String productId, long expires)
            throws Exception {
        Altcha.Challenge made = Altcha.createChallenge(new Altcha.ChallengeOptions().setHmacKey(key)
                .setMaxNumber((long) DIFFICULTY).setExpires(expires).addParam("p", productId)
                .addParam("u", AltchaChallenges.userDigest(userId)));
        return Map.of("algorithm", made.algorithm, "challenge", made.challenge, "maxnumber", made.maxnumber,
                "salt", made.salt, "signature", made.signature);
    }

    private void assertHumanCheckFailed(Reply reply) {
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.error()).isEqualTo("HUMAN_CHECK_FAILED");
    }

    @Test
    void shouldServeASignedChallengeAtTheProductsDifficulty_whenProductAsksForAltcha() {
        ProductCard product = altchaProduct();

        Reply reply = challenge("alice", product.productId());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).containsOnlyKeys("algorithm", "challenge", "maxnumber", "salt", "signature");
        assertThat(reply.body()).containsEntry("algorithm", "SHA-256");
        assertThat(((Number) reply.body().get("maxnumber")).intValue()).isEqualTo(DIFFICULTY);
        assertThat(reply.string("salt")).contains("p=" + product.productId()).contains("expires=");
        assertThat(reply.headers()).containsEntry("cache-control", "no-store");
    }

    @Test
    void shouldRefuseAChallenge_whenProductAsksForNoAltchaOrIsUnknownOrCallerAnonymous() {
        ProductCard plain = productWith(HumanCheck.NONE);

        assertThat(challenge("alice", plain.productId()).error()).isEqualTo("NOT_FOUND");
        assertThat(challenge("alice", TestServers.newProductId()).error()).isEqualTo("NOT_FOUND");
        assertThat(challenge("alice", null).error()).isEqualTo("INVALID_REQUEST");
        assertThat(handler().invoke(Events.anonymous().get("/api/flash-sale/challenge")).status()).isEqualTo(401);
    }

    @Test
    void shouldIssueTokenAndSpendTheProofInASlotOfItsOwn_whenAltchaSolved() throws Exception {
        ProductCard product = altchaProduct();
        Map<String, Object> challenge = challenge("bob", product.productId()).body();

        Reply reply = token("bob", product.productId(), "altcha", solve(challenge));

        assertThat(reply.status()).isEqualTo(200);
        String spent = RedisKeys.altchaSpent((String) challenge.get("signature"));
        assertThat(servers.redis().exists(spent)).isEqualTo(1);
        assertThat(servers.redis().pttl(spent)).isBetween(1L, 300_000L);
        assertThat(spent).doesNotContain("{p:");
    }

    @Test
    void shouldRefuseWithoutTouchingTheProduct_whenProofMissingWrongOrMalformed() throws Exception {
        ProductCard product = altchaProduct();
        Map<String, Object> challenge = challenge("carol", product.productId()).body();
        String solved = solve(challenge);
        Map<String, String> before = servers.productState(product.productId());

        assertHumanCheckFailed(token("carol", product.productId(), "altcha", null));
        assertHumanCheckFailed(token("carol", product.productId(), "altcha", ""));
        assertHumanCheckFailed(token("carol", product.productId(), "altcha", "bm90IGpzb24="));
        assertHumanCheckFailed(token("carol", product.productId(), "altcha", "%%%"));
        assertHumanCheckFailed(token("carol", product.productId(), "altcha", payload(challenge, DIFFICULTY + 1L)));
        assertHumanCheckFailed(token("dave", product.productId(), "altcha", solved));

        assertThat(servers.productState(product.productId())).isEqualTo(before);
    }

    @Test
    void shouldRefuseWithoutTouchingTheProduct_whenProofReused() throws Exception {
        ProductCard product = altchaProduct();
        String solved = solve(challenge("erin", product.productId()).body());
        assertThat(token("erin", product.productId(), "altcha", solved).status()).isEqualTo(200);
        Map<String, String> before = servers.productState(product.productId());

        Reply again = token("erin", product.productId(), "altcha", solved);

        assertHumanCheckFailed(again);
        assertThat(servers.productState(product.productId())).isEqualTo(before);
    }

    @Test
    void shouldRefuseWithoutTouchingTheProduct_whenChallengeForgedExpiredOrForAnotherProduct() throws Exception {
        ProductCard product = altchaProduct();
        ProductCard other = altchaProduct();
        long inFiveMinutes = Instant.now().plusSeconds(300).getEpochSecond();
        String forged = solve(craftedChallenge("a-key-the-attacker-made-up-0123456789", "frank", product.productId(),
                inFiveMinutes));
        String expired = solve(craftedChallenge(ALTCHA_KEY, "frank", product.productId(),
                Instant.now().minusSeconds(1).getEpochSecond()));
        String forOther = solve(challenge("frank", other.productId()).body());
        Map<String, String> before = servers.productState(product.productId());

        assertHumanCheckFailed(token("frank", product.productId(), "altcha", forged));
        assertHumanCheckFailed(token("frank", product.productId(), "altcha", expired));
        assertHumanCheckFailed(token("frank", product.productId(), "altcha", forOther));

        assertThat(servers.productState(product.productId())).isEqualTo(before);
        assertThat(servers.redis().exists(RedisKeys.altchaSpent(signatureOf(forged)))).isZero();
    }

    private static String signatureOf(String payload) {
        String json = new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8);
        return json.replaceAll(".*\"signature\":\"([0-9a-f]+)\".*", "$1");
    }

    @Test
    void shouldIssueTokenWithoutProof_whenProductAsksForNone() {
        ProductCard product = productWith(HumanCheck.NONE);

        assertThat(token("gina", product.productId(), "altcha", null).status()).isEqualTo(200);
    }

    @Test
    void shouldPassTheProvidersVerdict_whenProductAsksForAHostedCaptcha() {
        ProductCard product = productWith(new HumanCheck(HumanCheck.Mode.PROVIDER, 0));
        int calls = provider.forms().size();
        Map<String, String> before = servers.productState(product.productId());

        assertHumanCheckFailed(token("hank", product.productId(), "captcha", null));
        assertThat(provider.forms()).hasSize(calls);
        assertHumanCheckFailed(token("hank", product.productId(), "captcha", "a-bot-guessed-this"));
        assertThat(servers.productState(product.productId())).isEqualTo(before);

        Reply good = handler().invoke(Events.user("hank").from("203.0.113.9").post("/api/flash-sale/token",
                "{\"productId\":\"" + product.productId() + "\",\"captcha\":\"" + CaptchaStandIn.GOOD + "\"}"));

        assertThat(good.status()).isEqualTo(200);
        assertThat(provider.forms().get(provider.forms().size() - 1)).containsEntry("secret", CaptchaStandIn.SECRET)
                .containsEntry("response", CaptchaStandIn.GOOD).containsEntry("remoteip", "203.0.113.9");
    }

    @Test
    void shouldAnswerUnavailableNotPass_whenProviderFailsOrHangs() {
        ProductCard product = productWith(new HumanCheck(HumanCheck.Mode.PROVIDER, 0));
        Map<String, String> before = servers.productState(product.productId());

        Reply broken = token("ivan", product.productId(), "captcha", CaptchaStandIn.BROKEN);
        long start = System.nanoTime();
        Reply hanging = token("ivan", product.productId(), "captcha", CaptchaStandIn.SLOW);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(broken.status()).isEqualTo(503);
        assertThat(broken.error()).isEqualTo("UNAVAILABLE");
        assertThat(hanging.status()).isEqualTo(503);
        assertThat(hanging.error()).isEqualTo("UNAVAILABLE");
        assertThat(tookMillis).isLessThan(3_000);
        assertThat(servers.productState(product.productId())).isEqualTo(before);
    }

    @Test
    void shouldAnswerUnavailableNotPass_whenNeitherAltchaKeyNorProviderIsConfigured() throws Exception {
        ProductCard product = altchaProduct();
        ProductCard hosted = productWith(new HumanCheck(HumanCheck.Mode.PROVIDER, 0));
        Map<String, Object> properties = servers.redisProperties();
        try (LambdaHarness unconfigured = TokenFunctionTest.harness(properties)) {
            Reply challenge = unconfigured.invoke(challengeEvent("judy", product.productId()));
            Reply token = unconfigured.invoke(Events.user("judy").post("/api/flash-sale/token",
                    "{\"productId\":\"" + product.productId() + "\",\"altcha\":\""
                            + solve(challenge("judy", product.productId()).body()) + "\"}"));
            Reply captcha = unconfigured.invoke(Events.user("judy").post("/api/flash-sale/token",
                    "{\"productId\":\"" + hosted.productId() + "\",\"captcha\":\"" + CaptchaStandIn.GOOD + "\"}"));

            assertThat(challenge.status()).isEqualTo(503);
            assertThat(token.status()).isEqualTo(503);
            assertThat(token.error()).isEqualTo("UNAVAILABLE");
            assertThat(captcha.status()).isEqualTo(503);
            assertThat(captcha.error()).isEqualTo("UNAVAILABLE");
        }
    }
}
