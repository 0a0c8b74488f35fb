package com.flashsale.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.flashsale.http.ApiException;
import com.flashsale.http.Caller;
import com.flashsale.http.Dependencies;
import com.flashsale.http.Gates;
import com.flashsale.http.JsonBody;
import com.flashsale.http.Outcomes;
import com.flashsale.http.ProductRow;
import com.flashsale.http.RedisAccess;
import com.flashsale.http.Sql;
import com.flashsale.shared.crac.RestoreSafeRandom;
import com.flashsale.shared.redis.Preload;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.redis.SaleGate;
import io.micronaut.context.BeanProvider;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The admin routes (admin scope): products, warm-up, the payment provider's callback, stats. */
@Controller("/admin")
public class AdminController {

    private static final Logger LOG = LoggerFactory.getLogger(AdminController.class);
    private static final Duration KEYS_OUTLIVE_SALE = Duration.ofDays(7);

    private final JsonBody jsonBody;
    private final Sql sql;
    private final BeanProvider<SaleGate> gate;
    private final RedisAccess redis;
    private final JsonMapper json;
    private final Outcomes outcomes;

    public AdminController(JsonBody jsonBody, Sql sql, BeanProvider<SaleGate> gate, RedisAccess redis, JsonMapper json,
                           Outcomes outcomes) {
        this.jsonBody = jsonBody;
        this.sql = sql;
        this.gate = gate;
        this.redis = redis;
        this.json = json;
        this.outcomes = outcomes;
    }

    @Operation(summary = "Create a product (not on sale until preloaded)")
    @RequestBody(description = "{\"name\",\"priceCents\",\"stock\",\"startsAt\",\"endsAt\",\"limitPerUser\"?}")
    @Post("/products")
    public HttpResponse<Map<String, Object>> createProduct(@Parameter(hidden = true) APIGatewayV2HTTPEvent event) {
        Caller.admin(event);
        JsonBody.Fields body = jsonBody.read(event);
        String name = body.requiredString("name");
        if (name.isBlank() || name.length() > 200 || name.indexOf('\0') >= 0) {
            throw ApiException.invalid("name must be 1..200 characters, without NUL");
        }
        long priceCents = body.requiredLong("priceCents", 1, Long.MAX_VALUE / 1000);
        int stock = (int) body.requiredLong("stock", 1, 10_000_000);
        Instant startsAt = instant(body, "startsAt");
        Instant endsAt = instant(body, "endsAt");
        if (!startsAt.isBefore(endsAt)) {
            throw ApiException.invalid("startsAt must be before endsAt");
        }
        int limitPerUser = body.optionalLong("limitPerUser", 1, 10).orElse(1L).intValue();
        String productId = "p" + HexFormat.of().formatHex(randomBytes(8));
        ProductRow row = new ProductRow(productId, name, priceCents, stock, stock, startsAt, endsAt, limitPerUser, null);
        sql.run(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO product (id, name, price_cents, "
                    + "stock_total, stock_left, starts_at, ends_at, limit_per_user) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                Sql.bind(insert, productId, name, priceCents, stock, stock, startsAt, endsAt, limitPerUser);
                return insert.executeUpdate();
            }
        });
        outcomes.count("PRODUCT_CREATED");
        LOG.info("product {} created: {} units from {} to {}", productId, stock, startsAt, endsAt);
        return HttpResponse.created(row.adminView());
    }

    @Operation(summary = "Load a product's stock, window and card into Redis (warm-up); idempotent")
    @Post("/products/{productId}/preload")
    public Map<String, Object> preload(@Parameter(hidden = true) APIGatewayV2HTTPEvent event,
                                       @PathVariable String productId) {
        Caller.admin(event);
        ProductRow product = findProduct(productId);
        Preload preload = Dependencies.await(Gates.get(gate).preload(product.card(), product.stockLeft(),
                product.endsAt().plus(KEYS_OUTLIVE_SALE)));
        if (preload.outcome() == Preload.Outcome.CONFLICT) {
            throw ApiException.conflict("CONFLICT", "the product is already loaded with another stock or window");
        }
        sql.run(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE product SET preloaded_at = coalesce(preloaded_at, now()) WHERE id = ?")) {
                Sql.bind(update, productId);
                return update.executeUpdate();
            }
        });
        outcomes.count("PRELOAD_" + preload.outcome());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("productId", productId);
        view.put("stock", preload.stock());
        return view;
    }

    @Operation(summary = "The payment provider's callback: the order is paid")
    @Post("/orders/{orderId}/paid")
    public Map<String, Object> paid(@Parameter(hidden = true) APIGatewayV2HTTPEvent event, @PathVariable String orderId) {
        Caller.admin(event);
        // PostgreSQL text cannot hold NUL: the driver's error would be a 503 for a plain bad id
        if (orderId.length() > 128 || orderId.indexOf('\0') >= 0) {
            throw ApiException.notFound("no such order");
        }
        String status = sql.run(connection -> {
            try (PreparedStatement pay = connection.prepareStatement("UPDATE purchase_order SET status = 'PAID', "
                    + "paid_at = now() WHERE id = ? AND status = 'PENDING_PAYMENT'")) {
                Sql.bind(pay, orderId);
                if (pay.executeUpdate() == 1) {
                    return "PAID";
                }
            }
            try (PreparedStatement read = connection.prepareStatement("SELECT status FROM purchase_order WHERE id = ?")) {
                Sql.bind(read, orderId);
                try (ResultSet row = read.executeQuery()) {
                    return row.next() ? row.getString("status") : null;
                }
            }
        });
        if (status == null) {
            throw ApiException.notFound("no such order");
        }
        if (!"PAID".equals(status)) {
            throw ApiException.conflict("CONFLICT", "the order is " + status + " and cannot be paid");
        }
        outcomes.count("PAID");
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("orderId", orderId);
        view.put("status", "PAID");
        return view;
    }

    @Operation(summary = "A product's stock in Postgres and Redis, its orders and the last reconciliation")
    @Get("/products/{productId}/stats")
    public Map<String, Object> stats(@Parameter(hidden = true) APIGatewayV2HTTPEvent event,
                                     @PathVariable String productId) {
        Caller.admin(event);
        ProductRow product = findProduct(productId);
        Long redisStock = redisStock(productId);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("productId", productId);
        stats.put("stock", product.stockTotal());
        stats.put("stockLeft", product.stockLeft());
        stats.put("redisStock", redisStock);
        stats.put("accepted", redisStock == null ? null : product.stockTotal() - redisStock);
        sql.run(connection -> {
            try (PreparedStatement counts = connection.prepareStatement("SELECT count(*) AS orders, "
                    + "count(*) FILTER (WHERE status = 'PAID') AS paid, "
                    + "count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled, "
                    + "(SELECT count(*) FROM purchase_request r WHERE r.product_id = ? AND r.status = 'FAILED') AS failed "
                    + "FROM purchase_order WHERE product_id = ?")) {
                Sql.bind(counts, productId, productId);
                try (ResultSet row = counts.executeQuery()) {
                    row.next();
                    stats.put("orders", row.getLong("orders"));
                    stats.put("paid", row.getLong("paid"));
                    stats.put("cancelled", row.getLong("cancelled"));
                    stats.put("failed", row.getLong("failed"));
                }
            }
            return null;
        });
        stats.put("lastReconciliation", lastReconciliation(productId).orElse(null));
        return stats;
    }

    private Optional<Map<String, Object>> lastReconciliation(String productId) {
        return sql.one("SELECT r.id, r.fence, r.started_at, r.finished_at, r.summary::text AS summary, "
                + "(SELECT count(*) FROM reconciliation_discrepancy d WHERE d.run_id = r.id AND d.product_id = ?) AS discrepancies "
                + "FROM reconciliation_run r ORDER BY r.started_at DESC, r.id DESC LIMIT 1", row -> {
                    Map<String, Object> run = new LinkedHashMap<>();
                    run.put("runId", row.getLong("id"));
                    run.put("startedAt", Sql.instant(row, "started_at").toString());
                    Instant finished = Sql.instant(row, "finished_at");
                    run.put("finishedAt", finished == null ? null : finished.toString());
                    run.put("discrepancies", row.getLong("discrepancies"));
                    String summary = row.getString("summary");
                    if (summary != null) {
                        try {
                            run.put("summary", json.readValue(summary, Map.class));
                        } catch (IOException e) {
                            run.put("summary", summary);
                        }
                    }
                    return run;
                }, productId);
    }

    private Long redisStock(String productId) {
        try {
            String stock = redis.get(RedisKeys.product(productId).stock());
            return stock == null ? null : Long.parseLong(stock);
        } catch (ApiException e) {
            return null;
        }
    }

    private ProductRow findProduct(String productId) {
        if (!RedisKeys.PRODUCT_ID.matcher(productId).matches()) {
            throw ApiException.notFound("no such product");
        }
        return ProductRow.find(sql, productId).orElseThrow(() -> ApiException.notFound("no such product"));
    }

    private static Instant instant(JsonBody.Fields body, String field) {
        String text = body.requiredString(field);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field + " must be an ISO-8601 UTC time like 2026-11-22T12:00:00Z");
        }
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RestoreSafeRandom.shared().nextBytes(bytes); // not a static SecureRandom: SnapStart, see there
        return bytes;
    }

}
