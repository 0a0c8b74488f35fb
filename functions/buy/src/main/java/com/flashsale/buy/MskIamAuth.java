package com.flashsale.buy;

import com.flashsale.shared.config.KafkaAuthConfiguration;
import io.micronaut.configuration.kafka.config.AbstractKafkaConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * With {@code flashsale.kafka.iam-auth=true} (env KAFKA_IAM_AUTH), every Kafka client talks to MSK
 * over TLS with IAM authentication ({@link KafkaAuthConfiguration}); otherwise it changes nothing.
 */
@Singleton
@SuppressWarnings("rawtypes")
public class MskIamAuth implements BeanCreatedEventListener<AbstractKafkaConfiguration> {

    private final KafkaAuthConfiguration kafka;

    public MskIamAuth(KafkaAuthConfiguration kafka) {
        this.kafka = kafka;
    }

    @Override
    public AbstractKafkaConfiguration onCreated(BeanCreatedEvent<AbstractKafkaConfiguration> event) {
        event.getBean().getConfig().putAll(kafka.clientSettings());
        return event.getBean();
    }
}
