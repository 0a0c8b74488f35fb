package com.flashsale.buy;

import com.flashsale.http.TestServers;
import com.flashsale.shared.token.PurchaseToken;
import com.flashsale.shared.token.PurchaseTokenCodec;
import com.flashsale.shared.token.TokenKey;
import io.micronaut.configuration.kafka.config.AbstractKafkaConfiguration;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Configuration that only Lambda uses, checked without AWS. */
class ConfigurationTest {

    @Test
    void shouldConfigureMskIamAuth_whenIamAuthOn() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("flashsale.kafka.iam-auth", "true",
                "kafka.bootstrap.servers", "127.0.0.1:1"))) {
            var configurations = context.getBeansOfType(AbstractKafkaConfiguration.class);

            assertThat(configurations).isNotEmpty().allSatisfy(configuration -> {
                assertThat(configuration.getConfig()).containsEntry("security.protocol", "SASL_SSL")
                        .containsEntry("sasl.mechanism", "AWS_MSK_IAM");
            });
            assertThatCode(() -> Class.forName("software.amazon.msk.auth.iam.IAMLoginModule")).doesNotThrowAnyException();
        }
    }

    @Test
    void shouldUseStandaloneRedis_whenLambdaArtifactRunsLocallyWithoutRedisUris() {
        try (ApplicationContext context = ApplicationContext.builder().environments("function", "lambda")
                .properties(Map.of("redis.uri", "redis://127.0.0.1:6390")).start()) {

            assertThat(context.getProperty("redis.uris", String.class)).isEmpty();
            assertThat(context.containsBean(io.lettuce.core.RedisClient.class)).isTrue();
            assertThat(context.containsBean(io.lettuce.core.cluster.RedisClusterClient.class)).isFalse();
            assertThat(context.getProperty("flashsale.metrics.emf", Boolean.class)).contains(true);
        }
    }

    @Test
    void shouldUseTheCluster_whenRedisUrisSet() {
        try (ApplicationContext context = ApplicationContext.builder().environments("function", "lambda")
                .properties(Map.of("redis.uris", "rediss://clustercfg.example:6379")).start()) {

            assertThat(context.containsBean(io.lettuce.core.cluster.RedisClusterClient.class)).isTrue();
            assertThat(context.containsBean(io.lettuce.core.RedisClient.class)).isFalse();
        }
    }

    @Test
    void shouldAcceptTokensOfThePreviousKey_whenKeysRotated() throws Exception {
        String previous = TestServers.TOKEN_KEY;
        String current = "k2:fedcba9876543210fedcba9876543210-test-only";
        String oldToken = new PurchaseTokenCodec(TokenKey.parse(previous), Optional.empty())
                .encode(new PurchaseToken("u1", "p1", "n1", Instant.now().plusSeconds(60)));
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "flashsale.token.current-key", current, "flashsale.token.previous-key", previous))) {
            PurchaseTokenCodec codec = context.getBean(PurchaseTokenCodec.class);

            assertThat(codec.verify(oldToken, "u1", "p1", Instant.now()).nonce()).isEqualTo("n1");
        }
    }
}
