package com.flashsale.reconciliation;

import com.flashsale.shared.secrets.SecretSource;
import com.flashsale.shared.secrets.SecretsManagerSource;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test only: Secrets Manager without AWS; every secret is {"username":..,"password":..} as RDS fills it. */
@Singleton
@Replaces(SecretsManagerSource.class)
@Requires(property = "test.secret.password")
class StubSecrets implements SecretSource {

    final List<String> read = new ArrayList<>();
    private final String password;

    StubSecrets(@Value("${test.secret.password}") String password) {
        this.password = password;
    }

    @Override
    public String string(String secretArn) {
        read.add(secretArn);
        return "{\"username\":\"ignored-when-configured\",\"password\":\"" + password + "\"}";
    }

    @Override
    public Map<String, Object> json(String secretArn) {
        read.add(secretArn);
        return Map.of("username", "ignored-when-configured", "password", password);
    }
}
