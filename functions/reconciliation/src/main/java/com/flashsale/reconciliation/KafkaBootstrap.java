package com.flashsale.reconciliation;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/** {@code kafka.bootstrap.servers} (env KAFKA_BOOTSTRAP_SERVERS), the brokers the re-drive producer connects to. */
@ConfigurationProperties("kafka.bootstrap")
record KafkaBootstrap(@Bindable(defaultValue = "localhost:9092") String servers) {
}
