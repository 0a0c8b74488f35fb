package com.flashsale.result;

import com.flashsale.http.Events;
import com.flashsale.http.RequestFuzzer;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.event.RequestStatus;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RequestIds;
import com.flashsale.shared.redis.RequestState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/reliability.md row 13 for the result function, as a fuzz run through {@link RequestFuzzer}: reads
 * of a request (in Redis, or only in PostgreSQL), an order and a product, with the id, the caller,
 * the claims or the encoding mutated at random. A refused read changes neither the product's Redis
 * keys nor any row.
 */
@ExtendWith(RealServersExtension.class)
class ResultFuzzTest {

    private static final int REQUESTS = RequestFuzzer.requests(200);
    private static final int PER_PRODUCT = 25;
    private static final String OWNER = "owner";

    private record Sale(ProductCard product, String pendingRequest, String persistedRequest, String orderId) {
    }

    @Test
    void shouldNeverAnswer500NorChangeState_whenRequestsAreRandomOrMutated(RealServers realServers) throws SQLException {
        RequestFuzzer fuzzer = new RequestFuzzer();
        try (ResultFixture fixture = new ResultFixture(realServers); Connection snapshots = fixture.database.connect()) {
            int[] rounds = {0};
            fuzzer.run(REQUESTS, PER_PRODUCT, () -> sale(fixture, rounds[0]++), (sale, mutations) -> mutated(fuzzer, sale, mutations),
                    fixture.result::invoke,
                    sale -> List.of(fixture.servers.productState(sale.product().productId()), rows(snapshots)));
            System.out.printf("fuzz: %d result requests of seed %d: %s%n", REQUESTS, RequestFuzzer.SEED, fuzzer.outcomes());
            assertThat(fuzzer.outcomes().keySet()).as("the mutations reach past the first checks")
                    .anyMatch(k -> k.startsWith("200")).anyMatch(k -> k.startsWith("404"));
        }
    }

    /** A product with a pending request (Redis only) and a persisted one with its order (PostgreSQL only). */
    private static Sale sale(ResultFixture fixture, int round) {
        ProductCard product = fixture.insertProduct(fixture.servers.productOnSale(10, 1), 9);
        String pending = RequestIds.newRequestId(product.productId());
        fixture.servers.gate().setRequestState(new RequestState(pending, product.productId(), OWNER, 1,
                RequestStatus.PENDING, null, null)).toCompletableFuture().join();
        String persisted = RequestIds.newRequestId(product.productId());
        String orderId = "o-fuzz-" + round;
        fixture.insertOrder(orderId, persisted, product, OWNER);
        return new Sale(product, pending, persisted, orderId);
    }

    private static Events mutated(RequestFuzzer fuzzer, Sale sale, List<String> mutations) {
        var random = fuzzer.random();
        int route = random.nextInt(4);
        String prefix = switch (route) {
            case 0, 1 -> "/api/flash-sale/result/";
            case 2 -> "/api/orders/";
            default -> "/api/products/";
        };
        String id = switch (route) {
            case 0 -> sale.pendingRequest();
            case 1 -> sale.persistedRequest();
            case 2 -> sale.orderId();
            default -> sale.product().productId();
        };
        Events events = Events.user(OWNER).from("198.51.100." + random.nextInt(256));
        String body = null;
        int count = 1 + random.nextInt(2);
        for (int m = 0; m < count; m++) {
            int kind = random.nextInt(7);
            mutations.add(route + "/" + kind);
            switch (kind) {
                case 0 -> id = fuzzer.pathSegment(1 + random.nextInt(80));
                case 1 -> id = id + fuzzer.pathSegment(1 + random.nextInt(3));
                case 2 -> id = random.nextBoolean() ? RequestIds.newRequestId(sale.product().productId())
                        : TestServers.newProductId();
                case 3 -> events.claim("sub", "someone-else");
                case 4 -> fuzzer.claims(events);
                case 5 -> body = fuzzer.brokenBody("{\"x\":1}");
                default -> events.base64(true);
            }
        }
        if (route < 3 && !OWNER.equals(RequestFuzzer.claim(events, "sub"))) {
            mutations.add(RequestFuzzer.MUST_BE_REFUSED); // another user's (or nobody's) request or order
        }
        return events.route("GET", prefix + id, fuzzer.encoded(events, body));
    }

    /** Every order and request row and the product stock, as one text. */
    private static String rows(Connection connection) {
        return TestServers.queryOne(connection, "SELECT "
                + "(SELECT coalesce(string_agg(id || status, ',' ORDER BY id), '') FROM purchase_order) || '|' || "
                + "(SELECT coalesce(string_agg(request_id || status, ',' ORDER BY request_id), '') FROM purchase_request) || '|' || "
                + "(SELECT coalesce(string_agg(id || stock_left, ',' ORDER BY id), '') FROM product)");
    }
}
