package com.flashsale.http;

import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.redis.SaleGate;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The container's product cards: each product as ONE probe of its Redis slot read it (meta and
 * stock, {@code probe_product.lua}), refreshed at most once per {@link ProductCacheConfiguration}
 * (a second) and product, the callers of one moment sharing one probe ({@link SharedRefresh}). The
 * token function answers from the card alone (window, pause, sold out), so a crowd asking for tokens
 * costs the product's slot one command a second per container. A product that is not in Redis is
 * not on sale.
 */
@Singleton
public class ProductCatalog {

    /** "Not preloaded" is remembered only briefly: a preload must show up fast. */
    private static final Duration MISS_TTL = Duration.ofMillis(500);

    private final BeanProvider<SaleGate> gate;
    private final SharedRefresh<String, ProductView> cards;
    /** Redis TIME minus this container's clock, as the last probe saw it. */
    private volatile long clockOffsetMs;

    public ProductCatalog(BeanProvider<SaleGate> gate, ProductCacheConfiguration cache) {
        this.gate = gate;
        this.cards = new SharedRefresh<>(cache.productCacheTtl(), MISS_TTL, (productId, previous) -> probe(productId));
    }

    /** The product's card if preloaded; empty for unknown or malformed ids (never an exception for those). */
    public Optional<ProductView> find(String productId) {
        if (productId == null || !RedisKeys.PRODUCT_ID.matcher(productId).matches()) {
            return Optional.empty();
        }
        ProductView priming = Priming.card(productId); // only on a priming thread, never in the cache
        return Optional.ofNullable(priming != null ? priming : cards.get(productId));
    }

    /**
     * The card of a product that can be bought now, by its window on the Redis clock, its pause and its
     * stock; otherwise the refusal (404, 403 SALE_NOT_STARTED / SALE_ENDED / SALE_PAUSED, 409 SOLD_OUT).
     */
    public ProductView onSale(String productId) {
        ProductView product = find(productId).orElseThrow(Refusals::productNotFound);
        Instant now = serverTime();
        if (now.isBefore(product.startsAt())) {
            throw Refusals.saleNotStarted(product.startsAt().toEpochMilli(), now.toEpochMilli());
        }
        if (!now.isBefore(product.endsAt())) {
            throw Refusals.saleEnded();
        }
        if (product.paused()) {
            throw Refusals.salePaused();
        }
        if (product.soldOut()) {
            throw Refusals.soldOut();
        }
        return product;
    }

    /** Redis server TIME, the clock the sale runs on, as this container reckons it from its last probe. */
    public Instant serverTime() {
        return Instant.ofEpochMilli(System.currentTimeMillis() + clockOffsetMs);
    }

    private CompletionStage<ProductView> probe(String productId) {
        return Gates.get(gate).probe(productId).thenApply(probe -> {
            clockOffsetMs = probe.serverTimeMs() - System.currentTimeMillis();
            return ProductView.fromProbe(probe);
        });
    }
}
