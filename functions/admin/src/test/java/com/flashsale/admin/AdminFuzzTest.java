package com.flashsale.admin;

import com.flashsale.http.Caller;
import com.flashsale.http.Events;
import com.flashsale.http.LambdaHarness;
import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.RequestFuzzer;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/reliability.md row 13 for the admin function, as a fuzz run through {@link RequestFuzzer}: product
 * creation with odd fields or broken bodies, preloads, payment callbacks and stats for real,
 * unknown and garbled ids, with the claims (the admin scope) or the encoding mutated at random. A
 * refused request changes no row and no Redis key of the products it could touch.
 */
@ExtendWith(RealServersExtension.class)
class AdminFuzzTest {

    private static final int REQUESTS = RequestFuzzer.requests(200);
    private static final int PER_ROUND = 25;

    private record Round(String product, String preloaded, String pendingOrder, String cancelledOrder) {
    }

    @Test
    void shouldNeverAnswer500NorChangeState_whenRequestsAreRandomOrMutated(RealServers realServers) throws SQLException {
        RequestFuzzer fuzzer = new RequestFuzzer();
        try (TestServers servers = new TestServers(realServers)) {
            RealServers.Database database = realServers.freshDatabase("adminfuzz");
            Map<String, Object> properties = servers.redisProperties();
            properties.putAll(TestServers.databaseProperties(database));
            try (LambdaHarness admin = new LambdaHarness(properties); Connection snapshots = database.connect()) {
                fuzzer.run(REQUESTS, PER_ROUND, () -> round(admin, database), (round, mutations) -> mutated(fuzzer, round, mutations),
                        admin::invoke, round -> List.of(redis(servers, round), rows(snapshots)));
            }
            System.out.printf("fuzz: %d admin requests of seed %d: %s%n", REQUESTS, RequestFuzzer.SEED, fuzzer.outcomes());
            assertThat(fuzzer.outcomes().keySet()).as("the mutations reach past the first checks")
                    .anyMatch(k -> k.startsWith("20")).anyMatch(k -> k.startsWith("403 FORBIDDEN"))
                    .anyMatch(k -> k.startsWith("404")).anyMatch(k -> k.startsWith("400"));
        }
    }

    /** Two products (one preloaded) and two orders (one cancelled), made through the function itself. */
    private static Round round(LambdaHarness admin, RealServers.Database database) {
        String product = create(admin);
        String preloaded = create(admin);
        assertThat(admin.invoke(Events.admin().post("/admin/products/" + preloaded + "/preload", null)).status())
                .isEqualTo(200);
        return new Round(product, preloaded, order(database, product, "PENDING_PAYMENT"),
                order(database, product, "CANCELLED"));
    }

    private static String create(LambdaHarness admin) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Reply reply = admin.invoke(Events.admin().post("/admin/products",
                AdminHandlerTest.productJson(10, now.plusSeconds(3600), now.plusSeconds(7200))));
        assertThat(reply.status()).isEqualTo(201);
        return reply.string("productId");
    }

    private static String order(RealServers.Database database, String productId, String status) {
        String orderId = "o-" + TestServers.newProductId();
        TestServers.execute(database, "INSERT INTO purchase_order (id, request_id, product_id, user_id, quantity, "
                + "price_cents, status, pay_by) VALUES (?, ?, ?, 'u-fuzz', 1, 99900, ?, ?)", orderId,
                productId + "." + orderId.substring(2), productId, status, Instant.now().plusSeconds(900));
        return orderId;
    }

    private static Events mutated(RequestFuzzer fuzzer, Round round, List<String> mutations) {
        var random = fuzzer.random();
        int route = random.nextInt(4);
        String id = switch (route) {
            case 2 -> random.nextBoolean() ? round.pendingOrder() : round.cancelledOrder();
            default -> random.nextBoolean() ? round.product() : round.preloaded();
        };
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String[] fields = {"\"Phone\"", "99900", "10", "\"" + now.plusSeconds(3600) + "\"", "\"" + now.plusSeconds(7200) + "\"", "1"};
        Events events = Events.admin().from("198.51.100." + random.nextInt(256));
        String body = null;
        int count = 1 + random.nextInt(2);
        for (int m = 0; m < count; m++) {
            int kind = random.nextInt(7);
            mutations.add(route + "/" + kind);
            switch (kind) {
                case 0 -> fields[random.nextInt(fields.length)] = fuzzer.oddValue();
                case 1 -> id = fuzzer.pathSegment(1 + random.nextInt(80));
                case 2 -> id = TestServers.newProductId();
                case 3 -> body = fuzzer.brokenBody(productJson(fields));
                case 4 -> fuzzer.claims(events);
                case 5 -> events.claim("scope", "openid profile");
                default -> events.base64(true);
            }
        }
        String scope = RequestFuzzer.claim(events, "scope");
        if (scope == null || !scope.contains(Caller.ADMIN_SCOPE)) {
            mutations.add(RequestFuzzer.MUST_BE_REFUSED); // an admin route without the admin scope
        }
        String text = route == 0 ? (body == null ? productJson(fields) : body) : body;
        return switch (route) {
            case 0 -> events.post("/admin/products", fuzzer.encoded(events, text));
            case 1 -> events.post("/admin/products/" + id + "/preload", fuzzer.encoded(events, text));
            case 2 -> events.post("/admin/orders/" + id + "/paid", fuzzer.encoded(events, text));
            default -> events.route("GET", "/admin/products/" + id + "/stats", fuzzer.encoded(events, text));
        };
    }

    private static String productJson(String[] fields) {
        return "{\"name\":" + fields[0] + ",\"priceCents\":" + fields[1] + ",\"stock\":" + fields[2] + ",\"startsAt\":"
                + fields[3] + ",\"endsAt\":" + fields[4] + ",\"limitPerUser\":" + fields[5] + "}";
    }

    private static Map<String, String> redis(TestServers servers, Round round) {
        Map<String, String> state = new TreeMap<>(servers.productState(round.product()));
        state.putAll(servers.productState(round.preloaded()));
        return state;
    }

    /** Every product and order row, as one text. */
    private static String rows(Connection connection) {
        return TestServers.queryOne(connection, "SELECT "
                + "(SELECT coalesce(string_agg(id || stock_total || stock_left, ',' ORDER BY id), '') FROM product) || '|' || "
                + "(SELECT coalesce(string_agg(id || status, ',' ORDER BY id), '') FROM purchase_order)");
    }
}
