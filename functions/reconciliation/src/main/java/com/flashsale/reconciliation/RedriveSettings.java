package com.flashsale.reconciliation;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Where the outbox re-drive publishes: the orders topic ({@code flashsale.orders-topic}), with MSK IAM
 * authentication when {@code flashsale.kafka.iam-auth} is set.
 *
 * <p>The topic's default is the one exception to "defaults in the record": application.yml maps
 * Terraform's ORDERS_TOPIC onto the key, and a placeholder without a default would bind an empty
 * name, so the default stands there, in the placeholder, and only there.
 */
@ConfigurationProperties("flashsale")
record RedriveSettings(String ordersTopic, Kafka kafka) {

    @ConfigurationProperties("kafka")
    record Kafka(@Bindable(defaultValue = "false") boolean iamAuth) {
    }
}
