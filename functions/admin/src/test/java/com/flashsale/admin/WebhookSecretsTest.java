package com.flashsale.admin;

import com.flashsale.http.ApiException;
import com.flashsale.shared.secrets.SecretCache;
import com.flashsale.shared.secrets.SecretSource;
import io.micronaut.context.BeanProvider;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The provider's signing secrets rotate in their Secrets Manager secret; a warm function follows. */
class WebhookSecretsTest {

    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:1:secret:payment-webhook";

    private final AtomicReference<Map<String, Object>> secret = new AtomicReference<>(Map.of("current", "s1"));
    private final AtomicInteger reads = new AtomicInteger();
    private final SecretCache cache = cacheOver(arn -> {
        reads.incrementAndGet();
        return secret.get();
    });
    private final WebhookSecrets secrets = new WebhookSecrets(
            new PaymentWebhookConfiguration(ARN, null, null, Duration.ofMinutes(5), "EUR"), provider(cache));

    private static Predicate<byte[]> signedWith(String expected) {
        return candidate -> Arrays.equals(candidate, expected.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldAcceptTheNewSecretAndThePrevious_whenTheSecretRotatedAfterTheLastRead() {
        assertThat(secrets.anyMatches(signedWith("s1"))).isTrue();

        secret.set(Map.of("current", "s2", "previous", "s1"));

        assertThat(secrets.anyMatches(signedWith("s2"))).as("the new secret, after one more read").isTrue();
        assertThat(secrets.anyMatches(signedWith("s1"))).as("the previous secret").isTrue();
        assertThat(reads).hasValue(2);
    }

    @Test
    void shouldReadTheSecretAtMostOnceIn10Seconds_whenSignaturesMatchNoSecret() {
        for (int i = 0; i < 20; i++) {
            assertThat(secrets.anyMatches(signedWith("forged"))).isFalse();
        }

        assertThat(reads).hasValue(2);
    }

    @Test
    void shouldAnswer503_whenTheSecretCannotBeRead() {
        SecretCache unreachable = cacheOver(arn -> {
            throw new IllegalStateException("cannot read the secret " + arn + " (SdkClientException)");
        });
        PaymentWebhookConfiguration configuration = new PaymentWebhookConfiguration(ARN, null, null, Duration.ofMinutes(5), "EUR");
        WebhookSignature signature = new WebhookSignature(new WebhookSecrets(configuration, provider(unreachable)), configuration);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> signature.verify(WebhookSignature.header("s1".getBytes(StandardCharsets.UTF_8), Instant.now(), body), body))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().getCode()).isEqualTo(503);
                    assertThat(e.body().toString()).doesNotContain(ARN);
                });
    }

    /** A secret store that answers JSON reads with this function (Secrets Manager is not reachable here). */
    private static SecretCache cacheOver(Function<String, Map<String, Object>> readJson) {
        return new SecretCache(new SecretSource() {
            @Override
            public String string(String secretArn) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Map<String, Object> json(String secretArn) {
                return readJson.apply(secretArn);
            }
        });
    }

    private static BeanProvider<SecretCache> provider(SecretCache cache) {
        return new BeanProvider<>() {
            @Override
            public SecretCache get() {
                return cache;
            }
        };
    }
}
