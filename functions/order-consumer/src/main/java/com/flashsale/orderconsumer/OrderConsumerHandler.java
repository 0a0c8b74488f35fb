package com.flashsale.orderconsumer;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

/**
 * Lambda entry point of the MSK event source mapping: hands each batch to {@link OrderConsumer}.
 * A thrown exception fails the invocation, and Lambda retries the whole batch (which is safe).
 */
public class OrderConsumerHandler extends MicronautRequestHandler<KafkaEvent, BatchSummary> {

    @Inject
    OrderConsumer consumer;

    public OrderConsumerHandler() {
    }

    public OrderConsumerHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public BatchSummary execute(KafkaEvent event) {
        return consumer.consume(event);
    }
}
