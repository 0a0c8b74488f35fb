package com.flashsale.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code flashsale.product-cache-ttl}: how long a warm container keeps a product card read from
 * Redis ({@link ProductCatalog}); a product found missing is kept half a second at most.
 *
 * @param productCacheTtl 5 seconds by default (the result function sets 2 s)
 */
@ConfigurationProperties("flashsale")
public record ProductCacheConfiguration(@Bindable(defaultValue = "5s") Duration productCacheTtl) {
}
