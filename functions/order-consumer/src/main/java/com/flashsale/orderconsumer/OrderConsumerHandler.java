package com.flashsale.orderconsumer;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.flashsale.shared.metrics.Metrics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

import java.util.Map;

/**
 * Lambda entry point of the MSK event source mapping: hands each batch to {@link OrderConsumer}.
 * A thrown exception fails the invocation, and Lambda retries the whole batch (which is safe).
 */
public class OrderConsumerHandler extends MicronautRequestHandler<KafkaEvent, BatchSummary> {

    /** EMF metric names (FlashSale namespace): orders written to Postgres, records dead-lettered, requests failed. */
    public static final String ORDERS_PERSISTED = "OrdersPersisted";
    public static final String DEAD_LETTERS = "DeadLetters";
    public static final String REQUESTS_FAILED = "OrderRequestsFailed";

    @Inject
    OrderConsumer consumer;

    @Inject
    Metrics metrics;

    public OrderConsumerHandler() {
    }

    public OrderConsumerHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public BatchSummary execute(KafkaEvent event) {
        BatchSummary summary = consumer.consume(event);
        metrics.counts(Map.of(ORDERS_PERSISTED, summary.orders(), DEAD_LETTERS, summary.deadLetters(),
                REQUESTS_FAILED, summary.failed()));
        return summary;
    }
}
