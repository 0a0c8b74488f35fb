package com.flashsale.buy;

import io.micronaut.configuration.kafka.config.AbstractKafkaConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.util.Properties;

/**
 * With {@code flashsale.kafka.iam-auth=true} (env KAFKA_IAM_AUTH), every Kafka client talks to MSK
 * over TLS with IAM authentication (aws-msk-iam-auth; credentials from the Lambda role).
 */
@Singleton
@Requires(property = "flashsale.kafka.iam-auth", value = "true")
@SuppressWarnings("rawtypes")
public class MskIamAuth implements BeanCreatedEventListener<AbstractKafkaConfiguration> {

    @Override
    public AbstractKafkaConfiguration onCreated(BeanCreatedEvent<AbstractKafkaConfiguration> event) {
        Properties config = event.getBean().getConfig();
        config.put("security.protocol", "SASL_SSL");
        config.put("sasl.mechanism", "AWS_MSK_IAM");
        config.put("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;");
        config.put("sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler");
        return event.getBean();
    }
}
