package com.flashsale.result;

import com.flashsale.shared.secrets.SecretSource;
import com.flashsale.shared.secrets.SecretsManagerSource;
import com.flashsale.shared.token.PurchaseToken;
import com.flashsale.shared.token.PurchaseTokenCodec;
import com.flashsale.shared.token.TokenKey;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Secrets from Secrets Manager (here a stand-in for it): the DB password, the token keys, the Redis AUTH token. */
// no server: nothing here connects (the addresses lead nowhere); not transactional: no database is used
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsConfigurationTest implements TestPropertyProvider {

    static final String CURRENT = "k7:secret-manager-key-of-at-least-32-bytes";
    static final String PREVIOUS = "k6:older-secret-manager-key-at-least-32-bytes";

    @Inject
    ApplicationContext context;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "test.fake-secrets", "true",
                "flashsale.database.secret-arn", "arn:aws:secretsmanager:eu-west-1:1:secret:db",
                "flashsale.token.keys-secret-arn", "arn:aws:secretsmanager:eu-west-1:1:secret:tokens",
                "flashsale.redis.auth-secret-arn", "arn:aws:secretsmanager:eu-west-1:1:secret:redis",
                "redis.uri", "redis://127.0.0.1:1",
                "datasources.default.url", "jdbc:postgresql://127.0.0.1:1/none",
                "datasources.default.username", "");
    }

    @Test
    void shouldTakeDatabasePasswordAndTokenKeysFromSecrets_whenArnsConfigured() throws Exception {
        DatasourceConfiguration datasource = context.getBean(DatasourceConfiguration.class);
        PurchaseTokenCodec codec = context.getBean(PurchaseTokenCodec.class);

        assertThat(datasource.getPassword()).isEqualTo("from-the-secret");
        assertThat(context.getBean(AbstractRedisConfiguration.class).getUri().orElseThrow().getCredentialsProvider()
                .resolveCredentials().block().getPassword())
                .isEqualTo("redis-auth-token".toCharArray());
        assertThat(datasource.getUsername()).isEqualTo("flashsale_app");
        String old = new PurchaseTokenCodec(TokenKey.parse(PREVIOUS), Optional.empty())
                .encode(new PurchaseToken("u", "p", "n", Instant.now().plusSeconds(30)));
        assertThat(codec.verify(old, "u", "p", Instant.now()).nonce()).isEqualTo("n");
    }

    /** Answers like Secrets Manager would, without AWS. */
    @Singleton
    @Replaces(SecretsManagerSource.class)
    @Requires(property = "test.fake-secrets", value = "true")
    static class FakeSecrets implements SecretSource {

        @Override
        public String string(String secretArn) {
            return secretArn.endsWith(":redis") ? "{\"authToken\":\"redis-auth-token\"}" : "unused";
        }

        @Override
        public Map<String, Object> json(String secretArn) {
            if (secretArn.endsWith(":redis")) {
                return Map.of("authToken", "redis-auth-token");
            }
            return secretArn.endsWith(":db")
                    ? Map.of("username", "flashsale_app", "password", "from-the-secret")
                    : Map.of("current", CURRENT, "previous", PREVIOUS);
        }
    }
}
