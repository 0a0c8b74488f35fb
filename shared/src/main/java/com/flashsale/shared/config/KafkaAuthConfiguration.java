package com.flashsale.shared.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.util.Map;

/**
 * {@code flashsale.kafka.iam-auth} (Lambda: {@code KAFKA_IAM_AUTH=true}, from infra-terraform):
 * whether a function's Kafka clients talk to MSK over TLS with IAM authentication
 * (aws-msk-iam-auth on the function's class path, credentials from the Lambda role). Locally and in
 * the tests the brokers are plain PLAINTEXT.
 *
 * @param iamAuth false by default
 */
@ConfigurationProperties("flashsale.kafka")
public record KafkaAuthConfiguration(@Bindable(defaultValue = "false") boolean iamAuth) {

    /** The Kafka client settings that IAM authentication takes; none without it. */
    public Map<String, String> clientSettings() {
        if (!iamAuth) {
            return Map.of();
        }
        return Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "AWS_MSK_IAM",
                "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;",
                "sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler");
    }
}
