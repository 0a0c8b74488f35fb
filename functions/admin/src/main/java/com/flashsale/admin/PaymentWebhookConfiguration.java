package com.flashsale.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code flashsale.payment-webhook.*}: the payment provider's webhook ({@code POST /payments/webhook}).
 * An empty value counts as unset; without any secret every delivery is 503 UNAVAILABLE.
 *
 * @param secretArn      {@code flashsale.payment-webhook.secret-arn} ({@code PAYMENT_WEBHOOK_SECRET_ARN}):
 *                       a Secrets Manager secret {@code {"current":"...","previous":"..."}}, the
 *                       provider's signing secrets, read again when it rotates; wins over the two below
 * @param currentSecret  {@code flashsale.payment-webhook.current-secret}: the signing secret (local runs)
 * @param previousSecret {@code flashsale.payment-webhook.previous-secret}: still accepted after a rotation
 * @param tolerance      how far the signature's timestamp may be from now, 5 minutes by default
 * @param currency       the currency every price is in (ISO 4217), EUR by default
 */
@ConfigurationProperties("flashsale.payment-webhook")
public record PaymentWebhookConfiguration(@Nullable String secretArn,
                                          @Nullable String currentSecret,
                                          @Nullable String previousSecret,
                                          @Bindable(defaultValue = "5m") Duration tolerance,
                                          @Bindable(defaultValue = "EUR") String currency) {
}
