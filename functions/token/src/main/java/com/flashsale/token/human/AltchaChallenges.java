package com.flashsale.token.human;

import com.flashsale.shared.crac.RestoreSafeRandom;
import com.flashsale.shared.human.HumanCheck;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.altcha.altcha.Altcha;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stateless ALTCHA (v1) challenges, as the widget expects them: {@code SHA-256(salt + number)} with a
 * secret number below the product's difficulty, HMAC-signed with {@link HumanSecrets#altchaKey()}. The
 * salt carries, signed with it, the expiry ({@code expires}, epoch seconds), the product ({@code p})
 * and a digest of the user ({@code u}), so a solution is good for one user, one product, a short
 * while, and, through {@link SpentProofs}, once.
 */
@Singleton
public class AltchaChallenges {

    static final Altcha.Algorithm ALGORITHM = Altcha.Algorithm.SHA256;
    private static final int SALT_BYTES = 12;
    /** A widget's payload is about 300 bytes of base64; anything much larger is not one. */
    private static final int MAX_PAYLOAD_CHARS = 2048;

    private final HumanSecrets secrets;
    private final SpentProofs spent;
    private final JsonMapper json;
    private final long lifetimeSeconds;
    private final Clock clock;

    public AltchaChallenges(HumanSecrets secrets, SpentProofs spent, JsonMapper json, HumanCheckConfiguration configuration) {
        this(secrets, spent, json, configuration, Clock.systemUTC());
    }

    AltchaChallenges(HumanSecrets secrets, SpentProofs spent, JsonMapper json, HumanCheckConfiguration configuration,
                     Clock clock) {
        this.secrets = secrets;
        this.spent = spent;
        this.json = json;
        this.lifetimeSeconds = Math.max(1, configuration.challengeLifetime().toSeconds());
        this.clock = clock;
    }

    /** A new challenge for this user and product, {@code difficulty} its maxnumber: the widget's JSON. */
    public Map<String, Object> create(String userId, String productId, int difficulty) {
        String key = secrets.altchaKey();
        Altcha.ChallengeOptions options = new Altcha.ChallengeOptions()
                .setAlgorithm(ALGORITHM)
                .setMaxNumber((long) difficulty)
                .setHmacKey(key)
                // our randomness, not the library's static SecureRandom (cloned by a SnapStart restore)
                .setSalt(RestoreSafeRandom.shared().hex(SALT_BYTES))
                .setNumber(secretNumber(difficulty))
                .setExpires(clock.millis() / 1000 + lifetimeSeconds)
                .addParam("p", productId)
                .addParam("u", userDigest(userId));
        Altcha.Challenge challenge;
        try {
            challenge = Altcha.createChallenge(options);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create an ALTCHA challenge", e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("algorithm", challenge.algorithm);
        body.put("challenge", challenge.challenge);
        body.put("maxnumber", challenge.maxnumber);
        body.put("salt", challenge.salt);
        body.put("signature", challenge.signature);
        return body;
    }

    /**
     * True when {@code base64Payload} is the widget's solution of a challenge this service signed for
     * this user and product, not expired, and not used before (it is spent now). Anything else, however
     * malformed, is false; Redis down is 503 (an exception), not a pass.
     */
    public boolean verify(String base64Payload, String userId, String productId) {
        Solution solution = parse(base64Payload);
        if (solution == null) {
            return false;
        }
        Map<String, String> params;
        try {
            params = Altcha.extractParams(solution.salt);
        } catch (Exception e) {
            return false;
        }
        long nowMillis = clock.millis();
        long expiresMillis;
        try {
            expiresMillis = Math.multiplyExact(Long.parseLong(params.getOrDefault("expires", "")), 1000L);
        } catch (NumberFormatException | ArithmeticException e) {
            return false;
        }
        if (expiresMillis <= nowMillis || !productId.equals(params.get("p")) || !userDigest(userId).equals(params.get("u"))) {
            return false;
        }
        if (!signedHere(solution, secrets.altchaKey())) {
            return false;
        }
        return spent.spend(solution.signature, expiresMillis - nowMillis);
    }

    /** The challenge recomputed from salt and number, and its HMAC, compared in constant time. */
    private static boolean signedHere(Solution solution, String key) {
        Altcha.ChallengeOptions options = new Altcha.ChallengeOptions()
                .setAlgorithm(ALGORITHM)
                .setHmacKey(key)
                .setSalt(solution.salt)
                .setNumber(solution.number);
        Altcha.Challenge expected;
        try {
            expected = Altcha.createChallenge(options);
        } catch (Exception e) {
            return false;
        }
        return constantTimeEquals(expected.challenge, solution.challenge)
                & constantTimeEquals(expected.signature, solution.signature);
    }

    private Solution parse(String base64Payload) {
        if (base64Payload == null || base64Payload.isEmpty() || base64Payload.length() > MAX_PAYLOAD_CHARS) {
            return null;
        }
        try {
            JsonNode node = json.readValue(Base64.getDecoder().decode(base64Payload.trim()), JsonNode.class);
            if (node == null || !node.isObject()) {
                return null;
            }
            JsonNode number = node.get("number");
            if (number == null || !number.isNumber() || number.getNumberValue().doubleValue() < 0
                    || number.getNumberValue().doubleValue() > HumanCheck.MAX_DIFFICULTY) {
                return null;
            }
            String algorithm = text(node, "algorithm");
            String salt = text(node, "salt");
            String challenge = text(node, "challenge");
            String signature = text(node, "signature");
            if (!ALGORITHM.getName().equals(algorithm) || salt == null || challenge == null || signature == null
                    || !salt.endsWith("&")) {
                return null;
            }
            return new Solution(salt, number.getNumberValue().longValue(), challenge, signature);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() && !value.getStringValue().isEmpty() ? value.getStringValue() : null;
    }

    /** The user as the salt names them: a digest, so the id itself needs no encoding and shows nowhere. */
    static String userDigest(String userId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long secretNumber(int difficulty) {
        byte[] bytes = new byte[Long.BYTES];
        RestoreSafeRandom.shared().nextBytes(bytes);
        return (ByteBuffer.wrap(bytes).getLong() & Long.MAX_VALUE) % ((long) difficulty + 1);
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private record Solution(String salt, long number, String challenge, String signature) {
    }
}
