package com.flashsale.local.lab.simulate;

import com.flashsale.local.lab.LabSql;
import com.flashsale.local.servers.RealServers;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * Bad input sent through the gateway while a sale runs (docs/reliability.md row 13): broken and
 * wrongly typed JSON, a body over 16 KiB, forged and foreign purchase tokens, no JWT, other
 * users' requests and orders, admin routes without the admin scope. Every one of them must be
 * refused with a 4xx and change nothing; the audit after the sale shows nothing changed.
 * The module fuzz runs mutate requests far more; this shows the refusals hold under a live sale.
 */
final class BadInput {

    /**
     * One kind of bad request: what it is, how to send it for the sale's product, and the refusal it
     * must get (0: any 4xx with a JSON error).
     */
    private record Kind(String name, int refusal, Function<Target, SaleClient.Reply> send) {
    }

    /** What a bad request is aimed at: the product, the intruder's JWT, a token, another user's order. */
    private record Target(String productId, String jwt, String otherJwt, String token, String someoneElsesOrder,
                          String someoneElsesRequest) {
    }

    private static final Map<String, String> INTRUDER_ADDRESS = Map.of("X-Forwarded-For", "127.66.0.1");

    private final SaleClient client;
    private final RealServers.Database database;
    private final Map<String, Long> answers = Collections.synchronizedMap(new TreeMap<>());
    private final List<String> misanswered = Collections.synchronizedList(new ArrayList<>());
    private final List<Kind> kinds = List.of(
            new Kind("truncated JSON", 400, t -> buy("{\"productId\":\"" + t.productId() + "\",\"quantity\":", t.jwt())),
            new Kind("quantity of the wrong type", 400, t -> buy(body(t.productId(), "\"one\"", t.token()), t.jwt())),
            new Kind("quantity over the limit", 0, t -> buy(body(t.productId(), "1000000", t.token()), t.jwt())),
            new Kind("body over 16 KiB", 413, t -> buy(body(t.productId(), "1", t.token() + "x".repeat(17 * 1024)), t.jwt())),
            // with an Idempotency-Key the token is verified before the sold-out shortcut can answer 409
            new Kind("forged token", 403, t -> buyWithKey(body(t.productId(), "1", forge(t.token())), t.jwt())),
            new Kind("another user's token", 403, t -> buyWithKey(body(t.productId(), "1", t.token()), t.otherJwt())),
            new Kind("no JWT", 401, t -> buy(body(t.productId(), "1", t.token()), null)),
            new Kind("someone else's request", 404, t -> get("/api/flash-sale/result/" + t.someoneElsesRequest(), t.jwt())),
            new Kind("someone else's order", 404, t -> get("/api/orders/" + t.someoneElsesOrder(), t.jwt())),
            new Kind("admin route without the scope", 403,
                    t -> post("/admin/products/" + t.productId() + "/preload", "{}", t.jwt())));

    BadInput(SaleClient client, RealServers.Database database) {
        this.client = client;
        this.database = database;
    }

    /** Sends every kind in turn until {@code hold} has passed. @return what was sent, for the log */
    String send(String productId, Duration hold) throws SQLException {
        String jwt = login("intruder-a");
        SaleClient.Reply token = client.call("POST", "/api/flash-sale/token", jwt, Map.of("productId", productId),
                INTRUDER_ADDRESS);
        // when the sale refuses tokens (sold out), a well-formed token of nobody's making stands in
        Target target = new Target(productId, jwt, login("intruder-b"), token.ok() ? token.text("token") : "eyJhbGciOiJIUzI1NiJ9.e30.c2ln",
                someOrder(productId), someRequest(productId));
        long until = System.nanoTime() + hold.toNanos();
        int sent = 0;
        while (System.nanoTime() < until) {
            Kind kind = kinds.get(sent++ % kinds.size());
            SaleClient.Reply reply = kind.send().apply(target);
            answers.merge(String.valueOf(reply.status()), 1L, Long::sum);
            // 429: the intruder's own rate limit refused it, before anything was looked at
            if (reply.status() / 100 != 4 || reply.error().startsWith("HTTP_")
                    || kind.refusal() != 0 && reply.status() != kind.refusal() && reply.status() != 429) {
                misanswered.add(kind.name() + ": " + reply.status() + " " + reply.body());
            }
        }
        return sent + " bad requests, answered " + answers;
    }

    /** Answers by HTTP status. */
    Map<String, Long> answers() {
        return new TreeMap<>(answers);
    }

    /** Bad requests not refused with a 4xx and a JSON error body. */
    List<String> misanswered() {
        return List.copyOf(misanswered);
    }

    private SaleClient.Reply buy(String body, String jwt) {
        return post("/api/flash-sale/buy", body, jwt);
    }

    private SaleClient.Reply buyWithKey(String body, String jwt) {
        Map<String, String> headers = new java.util.HashMap<>(INTRUDER_ADDRESS);
        headers.put("Idempotency-Key", UUID.randomUUID().toString());
        return client.send("POST", "/api/flash-sale/buy", jwt, body, headers);
    }

    private SaleClient.Reply post(String path, String body, String jwt) {
        return client.send("POST", path, jwt, body, INTRUDER_ADDRESS);
    }

    private SaleClient.Reply get(String path, String jwt) {
        return client.send("GET", path, jwt, null, INTRUDER_ADDRESS);
    }

    private String login(String user) {
        return client.login(user, false);
    }

    private static String body(String productId, String quantity, String token) {
        return "{\"productId\":\"" + productId + "\",\"quantity\":" + quantity + ",\"token\":\"" + token + "\"}";
    }

    /** One character of the signature changed (not the last: its low bits may be base64 padding). */
    private static String forge(String token) {
        int at = token.length() - 5;
        return token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
    }

    /** A request of the sale that a simulated user made; an id of no request when none is decided yet. */
    private String someRequest(String productId) throws SQLException {
        try (Connection connection = database.connect()) {
            return LabSql.strings(connection, "SELECT request_id FROM purchase_request WHERE product_id = ? "
                    + "ORDER BY decided_at LIMIT 1", productId).stream().findFirst().orElseGet(() -> UUID.randomUUID().toString());
        }
    }

    /** An order of the sale, bought by a simulated user, never by the intruder; an id of no order when none yet. */
    private String someOrder(String productId) throws SQLException {
        try (Connection connection = database.connect()) {
            return LabSql.strings(connection, "SELECT id FROM purchase_order WHERE product_id = ? ORDER BY created_at "
                    + "LIMIT 1", productId).stream().findFirst().orElseGet(() -> UUID.randomUUID().toString());
        }
    }
}
