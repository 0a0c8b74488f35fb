package com.flashsale.reconciliation;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/** {@code flashsale.key-retention}: how long a sale's Redis keys outlive its end (as admin's preload keeps them). */
@ConfigurationProperties("flashsale")
record KeyRetention(@Bindable(defaultValue = "7d") Duration keyRetention) {
}
