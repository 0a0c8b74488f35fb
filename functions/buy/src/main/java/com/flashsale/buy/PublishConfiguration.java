package com.flashsale.buy;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code flashsale.publish-timeout}: how long the buy handler waits for Kafka to acknowledge an
 * accepted request's order event ({@link OrderPublisher}) before it answers 202 anyway and leaves
 * the event in the product's outbox for the reconciliation to re-publish. The topic is
 * {@code flashsale.orders-topic} ({@code com.flashsale.shared.config.OrdersTopicConfiguration}); the
 * producer's own bounds are {@code kafka.producers.orders.*} in {@code application.yml}.
 *
 * @param publishTimeout 3 seconds by default
 */
@ConfigurationProperties("flashsale")
public record PublishConfiguration(@Bindable(defaultValue = "3s") Duration publishTimeout) {
}
