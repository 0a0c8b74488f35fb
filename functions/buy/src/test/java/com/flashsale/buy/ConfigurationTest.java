package com.flashsale.buy;

import com.flashsale.shared.metrics.MetricsConfiguration;
import com.flashsale.http.ProductCacheConfiguration;
import com.flashsale.http.RateLimitConfiguration;
import com.flashsale.http.TestServers;
import com.flashsale.http.TokenConfiguration;
import com.flashsale.shared.config.KafkaAuthConfiguration;
import com.flashsale.shared.config.OrdersTopicConfiguration;
import com.flashsale.shared.config.RequestStateConfiguration;
import com.flashsale.shared.token.PurchaseToken;
import com.flashsale.shared.token.PurchaseTokenCodec;
import com.flashsale.shared.token.TokenKey;
import io.micronaut.configuration.kafka.config.AbstractKafkaConfiguration;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The settings: each key's default (written once, in its record) and its name, and the configuration
 * that only Lambda uses, checked without AWS. Every test is a context of its own configuration.
 */
class ConfigurationTest {

    @Test
    void shouldApplyEachDefault_whenNothingIsSet() {
        // application.yml maps ORDERS_TOPIC, TOKEN_LIFETIME ... to empty values here: the records' defaults apply
        try (ApplicationContext context = ApplicationContext.run()) {

            assertThat(settings(context)).containsExactly("flashsale.orders", Duration.ofSeconds(3),
                    Duration.ofMillis(1500), Duration.ofHours(24), Duration.ofSeconds(1), Duration.ofSeconds(60),
                    2.0, 10, 50.0, 200, false, "FlashSale", false);
        }
    }

    @Test
    void shouldBindEachKeyByItsName_whenSet() {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("flashsale.orders-topic", "orders-2");
        keys.put("flashsale.publish-timeout", "750ms");
        keys.put("flashsale.sold-out-flag", "2s");
        keys.put("flashsale.request-state-ttl", "1h");
        keys.put("flashsale.product-cache-ttl", "3s");
        keys.put("flashsale.token.lifetime", "90s");
        keys.put("flashsale.rate-limit.user.per-second", "0.5");
        keys.put("flashsale.rate-limit.user.burst", "3");
        keys.put("flashsale.rate-limit.ip.per-second", "7");
        keys.put("flashsale.rate-limit.ip.burst", "9");
        keys.put("flashsale.metrics.emf", "true");
        keys.put("flashsale.metrics.namespace", "Other");
        keys.put("flashsale.kafka.iam-auth", "true");
        try (ApplicationContext context = ApplicationContext.run(keys)) {

            assertThat(settings(context)).containsExactly("orders-2", Duration.ofMillis(750), Duration.ofSeconds(2),
                    Duration.ofHours(1), Duration.ofSeconds(3), Duration.ofSeconds(90), 0.5, 3, 7.0, 9, true, "Other", true);
        }
    }

    /** The buy function's settings, in the order of the keys above. */
    private static List<Object> settings(ApplicationContext context) {
        RateLimitConfiguration limits = context.getBean(RateLimitConfiguration.class);
        MetricsConfiguration metrics = context.getBean(MetricsConfiguration.class);
        return List.of(context.getBean(OrdersTopicConfiguration.class).ordersTopic(),
                context.getBean(PublishConfiguration.class).publishTimeout(),
                context.getBean(SoldOutFlagConfiguration.class).soldOutFlag(),
                context.getBean(RequestStateConfiguration.class).requestStateTtl(),
                context.getBean(ProductCacheConfiguration.class).productCacheTtl(),
                context.getBean(TokenConfiguration.class).lifetime(),
                limits.user().perSecond(), limits.user().burst(), limits.ip().perSecond(), limits.ip().burst(),
                metrics.emf(), metrics.namespace(), context.getBean(KafkaAuthConfiguration.class).iamAuth());
    }

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
