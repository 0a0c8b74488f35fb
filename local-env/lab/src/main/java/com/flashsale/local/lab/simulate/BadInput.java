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

    /** One kind of bad request: what it is, and how to send it for the sale's product. */
    private record Kind(String name, Function<Target, SaleClient.Reply> send) {
    }

    /** What a bad request is aimed at: the product, the intruder's JWT, a token, another user's order. */
    private record Target(String productId, String jwt, String otherJwt, String token, String someoneElsesOrder) {
    }

    private static final Map<String, String> INTRUDER_ADDRESS = Map.of("X-Forwarded-For", "127.66.0.1");

    private final SaleClient client;
    private final RealServers.Database database;
    private final Map<String, Long> answers = Collections.synchronizedMap(new TreeMap<>());
    private final List<String> misanswered = Collections.synchronizedList(new ArrayList<>());
    private final List<Kind> kinds = List.of(
            new Kind("truncated JSON", t -> buy("{\"productId\":\"" + t.productId() + "\",\"quantity\":", t.jwt())),
            new Kind("quantity of the wrong type", t -> buy(body(t.productId(), "\"one\"", t.token()), t.jwt())),
            new Kind("quantity over the limit", t -> buy(body(t.productId(), "1000000", t.token()), t.jwt())),
            new Kind("body over 16 KiB", t -> buy(body(t.productId(), "1", t.token() + "x".repeat(17 * 1024)), t.jwt())),
            new Kind("forged token", t -> buy(body(t.productId(), "1", forge(t.token())), t.jwt())),
            new Kind("another user's token", t -> buy(body(t.productId(), "1", t.token()), t.otherJwt())),
            new Kind("no JWT", t -> buy(body(t.productId(), "1", t.token()), null)),
            new Kind("someone else's request", t -> get("/api/flash-sale/result/" + UUID.randomUUID(), t.jwt())),
            new Kind("someone else's order", t -> get("/api/orders/" + t.someoneElsesOrder(), t.jwt())),
            new Kind("admin route without the scope", t -> post("/admin/products/" + t.productId() + "/preload", "{}", t.jwt())));

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
                someOrder(productId));
        long until = System.nanoTime() + hold.toNanos();
        int sent = 0;
        while (System.nanoTime() < until) {
            Kind kind = kinds.get(sent++ % kinds.size());
            SaleClient.Reply reply = kind.send().apply(target);
            answers.merge(String.valueOf(reply.status()), 1L, Long::sum);
            if (reply.status() / 100 != 4 || reply.error().startsWith("HTTP_")) {
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

    /** An order of the sale, bought by a simulated user, never by the intruder; an id of no order when none yet. */
    private String someOrder(String productId) throws SQLException {
        try (Connection connection = database.connect()) {
            return LabSql.strings(connection, "SELECT id FROM purchase_order WHERE product_id = ? ORDER BY created_at "
                    + "LIMIT 1", productId).stream().findFirst().orElseGet(() -> UUID.randomUUID().toString());
        }
    }
}
