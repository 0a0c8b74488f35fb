package com.flashsale.buy;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code flashsale.sold-out-flag}: how long a warm container refuses a product that Redis said was
 * sold out without asking Redis again ({@link SoldOutFlags}); when the hold runs out one request
 * probes Redis while the others are refused for another hold.
 *
 * @param soldOutFlag 1.5 seconds by default: stock that comes back (a failed or unpaid order) is
 *                    sold again within that time, and the crowd after the last unit costs Redis
 *                    one call per container per hold
 */
@ConfigurationProperties("flashsale")
public record SoldOutFlagConfiguration(@Bindable(defaultValue = "1500ms") Duration soldOutFlag) {
}
