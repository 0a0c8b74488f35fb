package com.flashsale.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code flashsale.product-cache-ttl}: how long a warm container keeps a product card read from
 * Redis ({@link ProductCatalog}) before ONE probe reads it again; a product found missing is kept
 * half a second at most. A pause reaches every warm container's token refusals within this.
 *
 * @param productCacheTtl 1 second by default
 */
@ConfigurationProperties("flashsale")
public record ProductCacheConfiguration(@Bindable(defaultValue = "1s") Duration productCacheTtl) {
}
