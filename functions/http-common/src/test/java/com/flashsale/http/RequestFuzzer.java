package com.flashsale.http;

import com.flashsale.http.LambdaHarness.Reply;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fuzz runs over the HTTP handlers (docs/reliability.md row 13): a seeded {@link Random}, so that a
 * failure names the seed and the request number that reproduce it ({@code -Dfuzz.seed=…
 * -Dfuzz.requests=…}), the mutations every route shares (odd JSON values, flipped, truncated,
 * random, oversized or empty bodies, claims, base64, header values), and the check of every reply
 * against docs/api.md: every 4xx with docs/api.md's JSON error body, and never a 5xx: the servers are up, so
 * not even docs/api.md's 503 (a dependency down) may appear; bad input answered 503 is a bug.
 */
public final class RequestFuzzer {

    public static final long SEED = Long.getLong("fuzz.seed", 20_261_123L);
    public static final List<String> ODD_VALUES = List.of("null", "true", "-1", "0", "1.5", "1e309", "\"1\"", "[]", "{}",
            "99999999999999999999", "\"\\u0000\"", "\"" + "x".repeat(5_000) + "\"", "\"../../etc\"", "\"\u00e9\u4e2d\ud83d\ude00\"");
    private static final List<String> PATH_PIECES = List.of("A", "z", "0", "9", "-", "_", ".", "~", "p", "%20", "%2F",
            "%00", "%25", "%E4%B8%AD", "..");
    private static final Set<String> ERRORS = Set.of("INVALID_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "INVALID_TOKEN",
            "SALE_NOT_STARTED", "SALE_ENDED", "NOT_FOUND", "SOLD_OUT", "ALREADY_PURCHASED", "CONFLICT",
            "PAYLOAD_TOO_LARGE", "RATE_LIMITED");

    /** The mark a mutated request's list of mutations carries when the request must be refused. */
    public static final String MUST_BE_REFUSED = "must be refused";

    private final Random random = new Random(SEED);
    private final Map<String, Integer> outcomes = new TreeMap<>();

    /** {@code -Dfuzz.requests} (thousands for a full run), else the CI default. */
    public static int requests(int byDefault) {
        return Integer.getInteger("fuzz.requests", byDefault);
    }

    public Random random() {
        return random;
    }

    /** The tally of statuses and error codes so far, e.g. {@code "400 INVALID_REQUEST"}. */
    public Map<String, Integer> outcomes() {
        return outcomes;
    }

    /** What names one request in an assertion message. */
    public String describe(int request, Object mutations, Reply reply) {
        return "request " + request + " of seed " + SEED + " (" + mutations + ") got " + reply;
    }

    /**
     * The common run: {@code requests} requests, a fresh round of test data every {@code perRound};
     * each request built by {@code mutated} (which names its mutations), sent to {@code handler},
     * its reply checked, and the round's {@code state} compared before and after every refusal.
     */
    public <R> void run(int requests, int perRound, Supplier<R> newRound, BiFunction<R, List<String>, Events> mutated,
                        Function<Events, Reply> handler, Function<R, Object> state) {
        R round = null;
        for (int i = 0; i < requests; i++) {
            if (i % perRound == 0) {
                round = newRound.get();
            }
            List<String> mutations = new ArrayList<>();
            Events events = mutated.apply(round, mutations);
            Object before = state.apply(round);

            Reply reply = handler.apply(events);

            String what = describe(i, mutations, reply);
            if (check(reply, what, mutations.contains(MUST_BE_REFUSED))) {
                assertThat(state.apply(round)).as(what).isEqualTo(before);
            }
        }
    }

    /**
     * Checks a reply against docs/api.md and counts it.
     *
     * @return true when the request was refused (4xx), so nothing may have changed
     */
    public boolean check(Reply reply, String what) {
        outcomes.merge(reply.status() + " " + (reply.status() < 300 ? "" : reply.error()), 1, Integer::sum);
        assertThat(reply.status()).as(what).isNotEqualTo(500).isBetween(200, 499);
        if (reply.status() >= 400) {
            assertThat(reply.error()).as(what).isIn(ERRORS);
            assertThat(reply.string("message")).as(what).isNotBlank();
        }
        return reply.status() >= 400;
    }

    /**
     * Checks a reply to a request that must be refused whatever else it got wrong (another user's
     * token or request, an admin route without the scope): a 2xx there is a wrong acceptance.
     *
     * @return true (it was refused), for symmetry with {@link #check(Reply, String)}
     */
    public boolean check(Reply reply, String what, boolean mustBeRefused) {
        boolean refused = check(reply, what);
        if (mustBeRefused) {
            assertThat(reply.status()).as("%s: must be refused", what).isBetween(400, 499);
        }
        return refused;
    }

    public String oddValue() {
        return ODD_VALUES.get(random.nextInt(ODD_VALUES.size()));
    }

    /** A JSON object's text replaced by a broken one: flipped, truncated, random, over 16 KiB, empty or {@code null}. */
    public String brokenBody(String json) {
        return switch (random.nextInt(5)) {
            case 0 -> flip(json);
            case 1 -> json.substring(0, random.nextInt(json.length()));
            case 2 -> randomText(random.nextInt(300));
            case 3 -> json.substring(0, json.length() - 1) + ",\"pad\":\"" + "p".repeat(16_384 + random.nextInt(20_000)) + "\"}";
            default -> random.nextBoolean() ? "" : "null";
        };
    }

    /** A claim of the event's caller as it will reach the function; null when absent. */
    public static String claim(Events events, String name) {
        Map<String, String> claims = events.event().getRequestContext().getAuthorizer().getJwt().getClaims();
        return claims == null ? null : claims.get(name);
    }

    /** What {@link #claims} did to the caller. */
    public enum ClaimsMutation {
        REMOVED, SUBJECT_EMPTY, SUBJECT_OVERSIZED, SUBJECT_RANDOM, ADMIN_SCOPE;

        /** Whether the caller is no longer the user the request was made for (its token names another). */
        public boolean identityLost() {
            return this != ADMIN_SCOPE;
        }
    }

    /** The caller's claims removed, emptied, oversized, random, or given the admin scope. */
    public ClaimsMutation claims(Events events) {
        ClaimsMutation mutation = ClaimsMutation.values()[random.nextInt(ClaimsMutation.values().length)];
        switch (mutation) {
            case REMOVED -> events.event().getRequestContext().getAuthorizer().getJwt().setClaims(Map.of());
            case SUBJECT_EMPTY -> events.claim("sub", "");
            case SUBJECT_OVERSIZED -> events.claim("sub", "u".repeat(10_000));
            case SUBJECT_RANDOM -> events.claim("sub", randomText(20));
            default -> events.claim("scope", "openid " + Caller.ADMIN_SCOPE);
        }
        return mutation;
    }

    /** The body set on the event, base64-encoded half of the times when the event is flagged base64. */
    public String encoded(Events events, String text) {
        return text != null && events.event().getIsBase64Encoded() && random.nextBoolean()
                ? Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) : text;
    }

    /** A path segment of random URL-safe characters and valid percent-escapes (a raw path the route can carry). */
    public String pathSegment(int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(PATH_PIECES.get(random.nextInt(PATH_PIECES.size())));
        }
        return out.toString();
    }

    /** One to five characters replaced, inserted or deleted at random places. */
    public String flip(String text) {
        StringBuilder out = new StringBuilder(text);
        int edits = 1 + random.nextInt(5);
        for (int e = 0; e < edits && out.length() > 0; e++) {
            int at = random.nextInt(out.length());
            switch (random.nextInt(3)) {
                case 0 -> out.setCharAt(at, randomChar());
                case 1 -> out.insert(at, randomChar());
                default -> out.deleteCharAt(at);
            }
        }
        return out.toString();
    }

    public String randomText(int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(randomChar());
        }
        return out.toString();
    }

    /**
     * What an HTTP header can bring through API Gateway: visible ASCII, obs-text and inner spaces or
     * tabs; no control characters, no white space at either end (HTTP parsers refuse or trim those,
     * and Micronaut answers a bare 500 to them, see docs/reliability.md).
     */
    public String headerValue(int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            out.append(kind == 0 && i > 0 && i < length - 1 ? (random.nextBoolean() ? ' ' : '\t')
                    : kind == 1 ? (char) (0x80 + random.nextInt(0x80)) : (char) (0x21 + random.nextInt(0x5e)));
        }
        return out.toString();
    }

    private char randomChar() {
        return switch (random.nextInt(4)) {
            case 0 -> "{}[]\":,\\".charAt(random.nextInt(8));
            case 1 -> (char) random.nextInt(0x20);
            case 2 -> (char) (0x20 + random.nextInt(0x5f));
            default -> (char) random.nextInt(0xd800);
        };
    }
}
