package com.flashsale.local.lab.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.altcha.altcha.Altcha;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The token step's human check as a sale's clients play it. A user fetches the ALTCHA challenge and
 * solves it with the ALTCHA library, as the widget does in the browser, and sends the solution with
 * the token request. A bot does not solve: it tries once with each {@link BotMove}. What the bots
 * got is counted here (tokens) and in the sale's outcome (units).
 */
public final class HumanCheckPlay {

    /** A bot's ways around the check, one attempt each. */
    public enum BotMove {
        /** no {@code altcha} field at all */
        NO_PROOF,
        /** a real challenge, sent back with a number that is not its solution (past its maxnumber) */
        UNSOLVED,
        /** a real challenge's salt, "solved" and signed with a key the bot made up */
        FORGED,
        /** a solution a user already spent (sniffed, or shared on a bot forum) */
        REPLAYED
    }

    /** What the bots tried and got: attempts and tokens per move. */
    public record Tally(Map<BotMove, Long> attempts, Map<BotMove, Long> tokens) {

        public long totalAttempts() {
            return attempts.values().stream().mapToLong(Long::longValue).sum();
        }

        public long totalTokens() {
            return tokens.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A token request's body, the proof it carries (null when none) and, for a bot, its move. */
    record TokenRequest(Map<String, Object> body, String proof, BotMove move) {
    }

    static final String BOT_PREFIX = "bot-";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SaleClient client;
    private final Queue<String> spentProofs = new ConcurrentLinkedQueue<>();
    private final Map<BotMove, AtomicLong> attempts = new EnumMap<>(BotMove.class);
    private final Map<BotMove, AtomicLong> tokens = new EnumMap<>(BotMove.class);
    private final SecureRandom random = new SecureRandom();

    HumanCheckPlay(SaleClient client) {
        this.client = client;
        for (BotMove move : BotMove.values()) {
            attempts.put(move, new AtomicLong());
            tokens.put(move, new AtomicLong());
        }
    }

    static boolean isBot(String userId) {
        return userId.startsWith(BOT_PREFIX);
    }

    /** A user's token request: with the solution of the product's challenge when it serves one. */
    TokenRequest human(String jwt, String productId, Map<String, String> headers) {
        SaleClient.Reply challenge = challenge(jwt, productId, headers);
        if (!challenge.ok()) {
            return new TokenRequest(Map.of("productId", productId), null, null); // no check asked (404), or none to be had
        }
        String proof = payload(challenge.body(), solve(challenge.body()));
        return new TokenRequest(Map.of("productId", productId, "altcha", proof), proof, null);
    }

    /** A user's token was issued with this proof: now it is spent, and a bot may get hold of it. */
    void spent(TokenRequest request) {
        if (request.proof() != null && spentProofs.size() < 1_000) {
            spentProofs.add(request.proof());
        }
    }

    /** A bot's token request for its {@code attempt}-th try. */
    TokenRequest bot(String jwt, String productId, int attempt, Map<String, String> headers) {
        BotMove move = BotMove.values()[attempt % BotMove.values().length];
        String replayed = spentProofs.peek();
        if (move == BotMove.REPLAYED && replayed == null) {
            move = BotMove.NO_PROOF; // nobody has spent one yet
        }
        attempts.get(move).incrementAndGet();
        String proof = switch (move) {
            case NO_PROOF -> null;
            case REPLAYED -> replayed;
            case UNSOLVED, FORGED -> {
                SaleClient.Reply challenge = challenge(jwt, productId, headers);
                if (!challenge.ok()) {
                    yield null;
                }
                JsonNode real = challenge.body();
                yield move == BotMove.UNSOLVED
                        ? payload(real, real.path("maxnumber").asLong() + 1 + random.nextInt(1_000))
                        : forged(real);
            }
        };
        Map<String, Object> body = new HashMap<>();
        body.put("productId", productId);
        if (proof != null) {
            body.put("altcha", proof);
        }
        return new TokenRequest(body, proof, move);
    }

    /** A bot's try was answered: a token (the check failed to stop it) or not. */
    void botAnswered(TokenRequest request, boolean issued) {
        if (issued) {
            tokens.get(request.move()).incrementAndGet();
        }
    }

    Tally tally() {
        Map<BotMove, Long> tried = new EnumMap<>(BotMove.class);
        Map<BotMove, Long> issued = new EnumMap<>(BotMove.class);
        attempts.forEach((move, count) -> tried.put(move, count.get()));
        tokens.forEach((move, count) -> issued.put(move, count.get()));
        return new Tally(tried, issued);
    }

    private SaleClient.Reply challenge(String jwt, String productId, Map<String, String> headers) {
        return client.call("GET", "/api/flash-sale/challenge?productId=" + productId, jwt, null, headers);
    }

    /** The number the widget would find: SHA-256(salt + n) equal to the challenge, n from 0 up. */
    private static long solve(JsonNode challenge) {
        try {
            Altcha.Solution solution = Altcha.solveChallenge(challenge.path("challenge").asText(),
                    challenge.path("salt").asText(), Altcha.Algorithm.SHA256, challenge.path("maxnumber").asLong(), 0);
            return solution == null ? -1 : solution.number;
        } catch (Exception e) {
            throw new IllegalStateException("cannot solve the ALTCHA challenge", e);
        }
    }

    /** The salt of a real challenge, with a number of the bot's choice, signed with a key the bot made up. */
    private String forged(JsonNode real) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        try {
            Altcha.Challenge made = Altcha.createChallenge(new Altcha.ChallengeOptions()
                    .setHmacKey(Base64.getEncoder().encodeToString(key)).setSalt(real.path("salt").asText()).setNumber(0L)
                    .setMaxNumber(real.path("maxnumber").asLong()));
            return payload(JSON.valueToTree(Map.of("algorithm", made.algorithm, "challenge", made.challenge,
                    "salt", made.salt, "signature", made.signature)), 0);
        } catch (Exception e) {
            throw new IllegalStateException("cannot forge a challenge", e);
        }
    }

    /** What the widget sends: base64 of {"algorithm","challenge","number","salt","signature"}. */
    private static String payload(JsonNode challenge, long number) {
        var node = JSON.createObjectNode()
                .put("algorithm", challenge.path("algorithm").asText())
                .put("challenge", challenge.path("challenge").asText())
                .put("number", number)
                .put("salt", challenge.path("salt").asText())
                .put("signature", challenge.path("signature").asText());
        return Base64.getEncoder().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }
}
