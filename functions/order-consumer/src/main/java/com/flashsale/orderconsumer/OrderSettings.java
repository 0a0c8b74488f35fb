package com.flashsale.orderconsumer;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/** {@code flashsale.payment-window}: how long a new order waits for its payment (its {@code pay_by}). */
@ConfigurationProperties("flashsale")
record OrderSettings(@Bindable(defaultValue = "15m") Duration paymentWindow) {
}
