package com.flashsale.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.flashsale.http.ApiException;
import com.flashsale.http.Caller;
import com.flashsale.http.Dependencies;
import com.flashsale.http.Gates;
import com.flashsale.http.JsonBody;
import com.flashsale.http.Outcomes;
import com.flashsale.http.RedisAccess;
import com.flashsale.shared.crac.RestoreSafeRandom;
import com.flashsale.shared.db.OrderRepository;
import com.flashsale.shared.db.Product;
import com.flashsale.shared.db.ProductRepository;
import com.flashsale.shared.db.ReconciliationRunRepository;
import com.flashsale.shared.human.HumanCheck;
import com.flashsale.shared.redis.Preload;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.redis.SaleGate;
import io.micronaut.context.BeanProvider;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.json.JsonMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The admin routes (admin scope): products and their states, warm-up, pause and resume, the deny
 * list, the payment provider's callback, stats.
 */
@Controller("/admin")
public class AdminController {

    private static final Logger LOG = LoggerFactory.getLogger(AdminController.class);
    private static final Duration KEYS_OUTLIVE_SALE = Duration.ofDays(7);
    private static final int MAX_LISTED = 1_000;

    private final JsonBody jsonBody;
    private final ProductRepository products;
    private final OrderRepository orders;
    private final ReconciliationRunRepository runs;
    private final BeanProvider<SaleGate> gate;
    private final RedisAccess redis;
    private final JsonMapper json;
    private final Outcomes outcomes;

    public AdminController(JsonBody jsonBody, ProductRepository products, OrderRepository orders,
                           ReconciliationRunRepository runs, BeanProvider<SaleGate> gate, RedisAccess redis,
                           JsonMapper json, Outcomes outcomes) {
        this.jsonBody = jsonBody;
        this.products = products;
        this.orders = orders;
        this.runs = runs;
        this.gate = gate;
        this.redis = redis;
        this.json = json;
        this.outcomes = outcomes;
    }

    @Operation(summary = "Create a product (not on sale until preloaded)")
    @RequestBody(description = "{\"name\",\"priceCents\",\"stock\",\"startsAt\",\"endsAt\",\"limitPerUser\"?,\"humanCheck\"?,\"difficulty\"?,\"shards\"?}")
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
        HumanCheck human = humanCheck(body);
        int shards = body.optionalLong("shards", 1, RedisKeys.MAX_SHARDS).orElse(1L).intValue();
        String productId = "p" + HexFormat.of().formatHex(randomBytes(8));
        Product product = products.save(new Product(productId, name, priceCents, stock, stock, startsAt, endsAt,
                limitPerUser, null, human.mode().wire(), human.difficulty(), shards, false));
        forgetUnknown(productId);
        outcomes.count("PRODUCT_CREATED");
        LOG.info("product {} created: {} units from {} to {}", productId, stock, startsAt, endsAt);
        return HttpResponse.created(view(product));
    }

    @Operation(summary = "Load a product's stock, window and card into Redis (warm-up); idempotent")
    @Post("/products/{productId}/preload")
    public Map<String, Object> preload(@Parameter(hidden = true) APIGatewayV2HTTPEvent event,
                                       @PathVariable String productId) {
        Caller.admin(event);
        Product product = findProduct(productId);
        Preload preload = Dependencies.await(Gates.get(gate).preload(product.card(), product.stockLeft(),
                product.endsAt().plus(KEYS_OUTLIVE_SALE), product.paused()));
        if (preload.outcome() == Preload.Outcome.CONFLICT) {
            throw ApiException.conflict("CONFLICT", "the product is already loaded with another stock or window");
        }
        products.markPreloaded(productId);
        outcomes.count("PRELOAD_" + preload.outcome());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("productId", productId);
        view.put("stock", preload.stock());
        return view;
    }

    @Operation(summary = "Every product (newest first, 1,000 at most) with its sale's state")
    @Get("/products")
    public Map<String, Object> list(@Parameter(hidden = true) APIGatewayV2HTTPEvent event) {
        Caller.admin(event);
        List<Product> newest = products.findNewest(MAX_LISTED);
        Instant now = products.now();
        List<Map<String, Object>> listed = new ArrayList<>(newest.size());
        for (Product product : newest) {
            Map<String, Object> view = view(product);
            view.put("state", state(product, product.paused(), now));
            listed.add(view);
        }
        return Map.of("products", listed);
    }

    @Operation(summary = "Pause a sale: token and buy refuse SALE_PAUSED (every warm container within a second)")
    @Post("/products/{productId}/pause")
    public Map<String, Object> pause(@Parameter(hidden = true) APIGatewayV2HTTPEvent event, @PathVariable String productId) {
        return setPaused(event, productId, true);
    }

    @Operation(summary = "Resume a paused sale")
    @Post("/products/{productId}/resume")
    public Map<String, Object> resume(@Parameter(hidden = true) APIGatewayV2HTTPEvent event, @PathVariable String productId) {
        return setPaused(event, productId, false);
    }

    /** Postgres first (the list and a later preload know it), then the product's Redis meta (admission refuses). */
    private Map<String, Object> setPaused(APIGatewayV2HTTPEvent event, String productId, boolean paused) {
        Caller.admin(event);
        Product product = findProduct(productId);
        products.setPaused(productId, paused);
        Dependencies.await(Gates.get(gate).setPaused(productId, paused));
        outcomes.count(paused ? "SALE_PAUSED" : "SALE_RESUMED");
        LOG.info("sale of {} {}", productId, paused ? "paused" : "resumed");
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("productId", productId);
        view.put("state", state(product, paused, products.now()));
        return view;
    }

    @Operation(summary = "Put a user on the deny list: token and buy refuse USER_BLOCKED")
    @Put("/denylist/users/{userId}")
    public HttpResponse<Void> deny(@Parameter(hidden = true) APIGatewayV2HTTPEvent event, @PathVariable String userId) {
        return setDenied(event, userId, true);
    }

    @Operation(summary = "Take a user off the deny list")
    @Delete("/denylist/users/{userId}")
    public HttpResponse<Void> allow(@Parameter(hidden = true) APIGatewayV2HTTPEvent event, @PathVariable String userId) {
        return setDenied(event, userId, false);
    }

    private HttpResponse<Void> setDenied(APIGatewayV2HTTPEvent event, String userId, boolean denied) {
        Caller.admin(event);
        if (userId.isEmpty() || userId.length() > 256 || userId.indexOf('\0') >= 0) {
            throw ApiException.invalid("userId must be 1..256 characters, without NUL");
        }
        Dependencies.await(Gates.get(gate).setDenied(userId, denied));
        outcomes.count(denied ? "USER_DENIED" : "USER_ALLOWED");
        LOG.info("user {} {} the deny list", userId, denied ? "put on" : "taken off");
        return HttpResponse.noContent();
    }

    /** SCHEDULED, ON_SALE, PAUSED, SOLD_OUT (by Redis' stock when loaded, else Postgres') or ENDED. */
    private String state(Product product, boolean paused, Instant now) {
        if (!now.isBefore(product.endsAt())) {
            return "ENDED";
        }
        if (paused) {
            return "PAUSED";
        }
        if (now.isBefore(product.startsAt())) {
            return "SCHEDULED";
        }
        Long redisStock = product.preloadedAt() == null ? null : redisStock(product);
        return (redisStock != null ? redisStock : product.stockLeft()) <= 0 ? "SOLD_OUT" : "ON_SALE";
    }

    @Operation(summary = "The payment provider's callback: the order is paid")
    @Post("/orders/{orderId}/paid")
    public Map<String, Object> paid(@Parameter(hidden = true) APIGatewayV2HTTPEvent event, @PathVariable String orderId) {
        Caller.admin(event);
        Map<String, Object> paid = OrderPayment.markPaid(orders, orderId);
        outcomes.count("PAID");
        return paid;
    }

    @Operation(summary = "A product's stock in Postgres and Redis, its orders and the last reconciliation")
    @Get("/products/{productId}/stats")
    public Map<String, Object> stats(@Parameter(hidden = true) APIGatewayV2HTTPEvent event,
                                     @PathVariable String productId) {
        Caller.admin(event);
        Product product = findProduct(productId);
        Long redisStock = redisStock(product);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("productId", productId);
        stats.put("stock", product.stockTotal());
        stats.put("stockLeft", product.stockLeft());
        stats.put("redisStock", redisStock);
        stats.put("accepted", redisStock == null ? null : product.stockTotal() - redisStock);
        OrderRepository.Counts counts = orders.countByProduct(productId);
        stats.put("orders", counts.orders());
        stats.put("paid", counts.paid());
        stats.put("cancelled", counts.cancelled());
        stats.put("failed", counts.failed());
        stats.put("deadLetters", counts.deadLetters());
        stats.put("lastReconciliation", lastReconciliation(productId).orElse(null));
        return stats;
    }

    private Optional<Map<String, Object>> lastReconciliation(String productId) {
        return runs.findLast(productId).map(last -> {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("runId", last.id());
            run.put("startedAt", last.startedAt().toString());
            run.put("finishedAt", last.finishedAt() == null ? null : last.finishedAt().toString());
            run.put("discrepancies", last.discrepancies());
            if (last.summary() != null) {
                try {
                    run.put("summary", json.readValue(last.summary(), Map.class));
                } catch (IOException e) {
                    run.put("summary", last.summary());
                }
            }
            return run;
        });
    }

    /**
     * The result function may have marked the id unknown (someone asked for it before it existed): the
     * marker goes, or the card would stay hidden until it expires (at most a minute).
     */
    private void forgetUnknown(String productId) {
        try {
            redis.delete(RedisKeys.unknown("product", productId));
        } catch (ApiException e) {
            LOG.warn("the unknown-id marker of {} could not be cleared; it expires within a minute", productId);
        }
    }

    /** The units in Redis, over every stock shard and the transfers between them; null when a shard is gone. */
    private Long redisStock(Product product) {
        try {
            long units = Dependencies.await(Gates.get(gate).shards().unitsLeft(product.id(), product.shards()));
            return units < 0 ? null : units;
        } catch (ApiException e) {
            return null;
        }
    }

    private Product findProduct(String productId) {
        if (!RedisKeys.PRODUCT_ID.matcher(productId).matches()) {
            throw ApiException.notFound("no such product");
        }
        return products.findById(productId).orElseThrow(() -> ApiException.notFound("no such product"));
    }

    /** API.md's product fields (admin create). */
    private static Map<String, Object> view(Product product) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("productId", product.id());
        view.put("name", product.name());
        view.put("priceCents", product.priceCents());
        view.put("stock", product.stockTotal());
        view.put("startsAt", product.startsAt().toString());
        view.put("endsAt", product.endsAt().toString());
        view.put("limitPerUser", product.limitPerUser());
        view.put("humanCheck", product.humanCheck());
        if (product.humanCheckDifficulty() > 0) {
            view.put("difficulty", product.humanCheckDifficulty());
        }
        return view;
    }

    /** {@code humanCheck} (none by default) and {@code difficulty} (altcha only); 400 when they do not fit. */
    private static HumanCheck humanCheck(JsonBody.Fields body) {
        String mode = body.optionalString("humanCheck").orElse(null);
        Long difficulty = body.optionalLong("difficulty", HumanCheck.MIN_DIFFICULTY, HumanCheck.MAX_DIFFICULTY)
                .orElse(null);
        try {
            return HumanCheck.of(mode, difficulty);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
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
