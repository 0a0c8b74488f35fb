package com.flashsale.reconciliation;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Where the outbox re-drive publishes: the orders topic ({@code flashsale.orders-topic}), with MSK IAM
 * authentication when {@code flashsale.kafka.iam-auth} is set.
 */
@ConfigurationProperties("flashsale")
record RedriveSettings(@Bindable(defaultValue = "flashsale.orders") String ordersTopic, Kafka kafka) {

    @ConfigurationProperties("kafka")
    record Kafka(@Bindable(defaultValue = "false") boolean iamAuth) {
    }
}
