package com.flashsale.shared.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.util.StringUtils;

/**
 * {@code flashsale.orders-topic}: the Kafka topic of the order events. The buy function publishes
 * to it, the reconciliation re-publishes what an outbox kept, the order consumer is triggered by it.
 * Lambda passes it as {@code ORDERS_TOPIC} (infra-terraform), mapped in each function's
 * {@code application.yml}; an unset or empty value means the default.
 *
 * @param ordersTopic the topic's name, {@value #DEFAULT_TOPIC} by default
 */
@ConfigurationProperties("flashsale")
public record OrdersTopicConfiguration(@Bindable(defaultValue = DEFAULT_TOPIC) String ordersTopic) {

    static final String DEFAULT_TOPIC = "flashsale.orders";

    /**
     * Where buy's invoke priming publishes the events of its accepted purchases (issue 18): beside
     * the orders topic, never read by the order consumer, short retention (infra-terraform's kafka
     * module; the local environment creates it with the orders topic).
     */
    public String primingTopic() {
        return primingTopicOf(ordersTopic);
    }

    /** The priming topic beside an orders topic. */
    public static String primingTopicOf(String ordersTopic) {
        return ordersTopic + ".priming";
    }

    public OrdersTopicConfiguration {
        // application.yml maps ${ORDERS_TOPIC:}: empty when Lambda does not set it
        if (!StringUtils.hasText(ordersTopic)) {
            ordersTopic = DEFAULT_TOPIC;
        }
    }
}
