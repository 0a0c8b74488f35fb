package com.flashsale.result;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.flashsale.http.ApiException;
import com.flashsale.http.Caller;
import com.flashsale.http.DependencyBreakers;
import com.flashsale.http.ProductCatalog;
import com.flashsale.http.ProductView;
import com.flashsale.http.RateLimiter;
import com.flashsale.http.RedisAccess;
import com.flashsale.http.Refusals;
import com.flashsale.shared.db.Product;
import com.flashsale.shared.db.ProductRepository;
import com.flashsale.shared.redis.RedisKeys;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/products/{productId}} (public): the product card from Redis (cached briefly per
 * container) with {@code serverTime} from Redis TIME, the clock the sale runs on; from Postgres
 * when Redis does not have the product (not preloaded yet) or is down, an unknown id at most once
 * ({@link UnknownIds}). Rate limited per client address.
 */
@Controller
public class ProductController {

    private final ProductCatalog catalog;
    private final RedisAccess redis;
    private final ProductRepository products;
    private final UnknownIds unknownIds;
    private final RateLimiter rateLimiter;
    private final DependencyBreakers breakers;

    public ProductController(ProductCatalog catalog, RedisAccess redis, ProductRepository products, UnknownIds unknownIds,
                             RateLimiter rateLimiter, DependencyBreakers breakers) {
        this.catalog = catalog;
        this.redis = redis;
        this.products = products;
        this.unknownIds = unknownIds;
        this.rateLimiter = rateLimiter;
        this.breakers = breakers;
    }

    @Operation(summary = "A product's card, with the server's clock for the countdown (no JWT needed)")
    @Get("/api/products/{productId}")
    public Map<String, Object> product(@Parameter(hidden = true) APIGatewayV2HTTPEvent event,
                                       @PathVariable String productId) {
        if (!RedisKeys.PRODUCT_ID.matcher(productId).matches()) {
            throw Refusals.productNotFound();
        }
        rateLimiter.checkRead("product", null, Caller.sourceIp(event));
        boolean redisDown = false;
        try {
            Optional<ProductView> cached = catalog.find(productId);
            if (cached.isPresent()) {
                ProductView product = cached.get();
                RedisAccess.ValueAt stock = redis.getWithTime(RedisKeys.product(productId).stock());
                boolean soldOut = stock.value() != null && Long.parseLong(stock.value()) <= 0;
                return card(product.productId(), product.name(), product.priceCents(), product.startsAt(),
                        product.endsAt(), stock.serverTime(), soldOut);
            }
        } catch (ApiException e) {
            if (!"UNAVAILABLE".equals(e.code())) {
                throw e;
            }
            // Redis is down: the database still knows the card
            redisDown = true;
        }
        Product row = unknownIds.find(UnknownIds.Kind.PRODUCT, productId, () -> products.findById(productId))
                .orElseThrow(Refusals::productNotFound);
        return card(row.id(), row.name(), row.priceCents(), row.startsAt(), row.endsAt(), serverTime(redisDown),
                row.stockLeft() <= 0);
    }

    /** Redis TIME, the sale's clock; the database's only when Redis is down. */
    private Instant serverTime(boolean redisDown) {
        if (!redisDown) {
            try {
                return redis.time();
            } catch (ApiException e) {
                // went down since: the database's clock
            }
        }
        return breakers.database(products::now);
    }

    private static Map<String, Object> card(String productId, String name, long priceCents, Instant startsAt,
                                            Instant endsAt, Instant serverTime, boolean soldOut) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("productId", productId);
        card.put("name", name);
        card.put("priceCents", priceCents);
        card.put("startsAt", startsAt.toString());
        card.put("endsAt", endsAt.toString());
        card.put("serverTime", serverTime.toString());
        card.put("soldOut", soldOut);
        return card;
    }
}
