package com.flashsale.http;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;
import java.util.Map;

/**
 * Reads a JSON secret from AWS Secrets Manager (region and credentials from the Lambda
 * environment). Values are never logged; only the ARN appears in errors.
 */
@Singleton
public class SecretValues {

    private final JsonMapper json;

    public SecretValues(JsonMapper json) {
        this.json = json;
    }

    /** The secret's text. */
    public String string(String secretArn) {
        try (SecretsManagerClient client = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            return client.getSecretValue(request -> request.secretId(secretArn)).secretString();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read the secret " + secretArn + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The secret as a JSON object. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> json(String secretArn) {
        try {
            return json.readValue(string(secretArn), Map.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the secret " + secretArn + " is not a JSON object (" + e.getClass().getSimpleName() + ")");
        }
    }
}
