package com.flashsale.shared.secrets;

import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.util.Map;

/**
 * AWS Secrets Manager (region and credentials from the Lambda environment), for the functions that
 * put the SDK on their class path; only the ARN appears in errors.
 */
@Singleton
@Requires(classes = {SecretsManagerClient.class, UrlConnectionHttpClient.class})
public class SecretsManagerSource implements SecretSource {

    private final JsonMapper json;

    public SecretsManagerSource(JsonMapper json) {
        this.json = json;
    }

    @Override
    public String string(String secretArn) {
        try (SecretsManagerClient client = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            return client.getSecretValue(request -> request.secretId(secretArn)).secretString();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read the secret " + secretArn + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> json(String secretArn) {
        try {
            return json.readValue(string(secretArn), Map.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the secret " + secretArn + " is not a JSON object");
        }
    }
}
