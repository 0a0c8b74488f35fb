package com.flashsale.result;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.flashsale.http.ApiException;
import com.flashsale.http.Caller;
import com.flashsale.http.DependencyBreakers;
import com.flashsale.http.ProductCatalog;
import com.flashsale.http.ProductView;
import com.flashsale.http.RateLimiter;
import com.flashsale.http.Refusals;
import com.flashsale.shared.db.Product;
import com.flashsale.shared.db.ProductRepository;
import com.flashsale.shared.human.HumanCheck;
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
    private final ProductRepository products;
    private final UnknownIds unknownIds;
    private final RateLimiter rateLimiter;
    private final DependencyBreakers breakers;

    public ProductController(ProductCatalog catalog, ProductRepository products, UnknownIds unknownIds,
                             RateLimiter rateLimiter, DependencyBreakers breakers) {
        this.catalog = catalog;
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
                // the container's card: a crowd of page views costs the product's slot one probe a second
                ProductView product = cached.get();
                return card(product.productId(), product.name(), product.priceCents(), product.startsAt(),
                        product.endsAt(), catalog.serverTime(), product.stockLeft() <= 0, product.paused(),
                        product.humanCheck());
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
                row.stockLeft() <= 0, row.paused(), row.human());
    }

    /**
     * Redis TIME, the sale's clock, as the card's last probe of Redis read it (a probe reads the clock
     * even for a product Redis does not have); the database's only when Redis is down.
     */
    private Instant serverTime(boolean redisDown) {
        return redisDown ? breakers.database(products::now) : catalog.serverTime();
    }

    private static Map<String, Object> card(String productId, String name, long priceCents, Instant startsAt,
                                            Instant endsAt, Instant serverTime, boolean soldOut, boolean paused,
                                            HumanCheck human) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("productId", productId);
        card.put("name", name);
        card.put("priceCents", priceCents);
        card.put("startsAt", startsAt.toString());
        card.put("endsAt", endsAt.toString());
        card.put("serverTime", serverTime.toString());
        card.put("soldOut", soldOut);
        card.put("paused", paused);
        card.put("humanCheck", human.mode().wire());
        return card;
    }
}
