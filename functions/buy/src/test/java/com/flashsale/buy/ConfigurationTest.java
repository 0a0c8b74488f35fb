package com.flashsale.buy;

import com.flashsale.http.MetricsConfiguration;
import com.flashsale.http.ProductCacheConfiguration;
import com.flashsale.http.RateLimitConfiguration;
import com.flashsale.http.TestServers;
import com.flashsale.http.TokenConfiguration;
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
        // application.yml maps ORDERS_TOPIC, TOKEN_* ... to empty values here: the records' defaults apply
        try (ApplicationContext context = ApplicationContext.run()) {
            RateLimitConfiguration limits = context.getBean(RateLimitConfiguration.class);
            MetricsConfiguration metrics = context.getBean(MetricsConfiguration.class);

            assertThat(context.getBean(OrdersTopicConfiguration.class).ordersTopic()).isEqualTo("flashsale.orders");
            assertThat(context.getBean(PublishConfiguration.class).publishTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(context.getBean(SoldOutFlagConfiguration.class).soldOutFlag()).isEqualTo(Duration.ofMillis(1500));
            assertThat(context.getBean(RequestStateConfiguration.class).requestStateTtl()).isEqualTo(Duration.ofHours(24));
            assertThat(context.getBean(ProductCacheConfiguration.class).productCacheTtl()).isEqualTo(Duration.ofSeconds(5));
            assertThat(context.getBean(TokenConfiguration.class).lifetime()).isEqualTo(Duration.ofSeconds(60));
            assertThat(List.of(limits.user().perSecond(), limits.user().burst(), limits.ip().perSecond(), limits.ip().burst()))
                    .containsExactly(2.0, 10, 50.0, 200);
            assertThat(metrics.emf()).isFalse();
            assertThat(metrics.namespace()).isEqualTo("FlashSale");
        }
    }

    @Test
    void shouldBindEachKeyByItsName_whenSet() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "flashsale.orders-topic", "orders-2", "flashsale.publish-timeout", "750ms",
                "flashsale.sold-out-flag", "2s", "flashsale.request-state-ttl", "1h", "flashsale.product-cache-ttl", "1s",
                "flashsale.rate-limit.user.per-second", "0.5", "flashsale.rate-limit.user.burst", "3",
                "flashsale.rate-limit.ip.per-second", "7", "flashsale.rate-limit.ip.burst", "9",
                "flashsale.metrics.namespace", "Other"))) {
            RateLimitConfiguration limits = context.getBean(RateLimitConfiguration.class);

            assertThat(context.getBean(OrdersTopicConfiguration.class).ordersTopic()).isEqualTo("orders-2");
            assertThat(context.getBean(PublishConfiguration.class).publishTimeout()).isEqualTo(Duration.ofMillis(750));
            assertThat(context.getBean(SoldOutFlagConfiguration.class).soldOutFlag()).isEqualTo(Duration.ofSeconds(2));
            assertThat(context.getBean(RequestStateConfiguration.class).requestStateTtl()).isEqualTo(Duration.ofHours(1));
            assertThat(context.getBean(ProductCacheConfiguration.class).productCacheTtl()).isEqualTo(Duration.ofSeconds(1));
            assertThat(List.of(limits.user().perSecond(), limits.user().burst(), limits.ip().perSecond(), limits.ip().burst()))
                    .containsExactly(0.5, 3, 7.0, 9);
            assertThat(context.getBean(MetricsConfiguration.class).namespace()).isEqualTo("Other");
        }
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
