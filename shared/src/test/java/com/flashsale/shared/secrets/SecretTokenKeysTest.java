package com.flashsale.shared.secrets;

import com.flashsale.shared.token.InvalidPurchaseTokenException;
import com.flashsale.shared.token.PurchaseToken;
import com.flashsale.shared.token.PurchaseTokenCodec;
import com.flashsale.shared.token.TokenKey;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Token keys rotate in their secret; a warm codec follows without a redeploy. */
class SecretTokenKeysTest {

    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:1:secret:token-keys";
    private static final String K1 = "k1:first-key-of-at-least-thirty-two-bytes!";
    private static final String K2 = "k2:second-key-of-at-least-thirty-two-bytes";
    private static final String K3 = "k3:third-key-of-at-least-thirty-two-bytes!!";

    private final AtomicReference<Map<String, Object>> secret = new AtomicReference<>(Map.of("current", K1));
    private final AtomicInteger reads = new AtomicInteger();
    private final PurchaseTokenCodec codec = new PurchaseTokenCodec(new SecretTokenKeys(new SecretCache(new SecretSource() {
        @Override
        public String string(String secretArn) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Object> json(String secretArn) {
            reads.incrementAndGet();
            return secret.get();
        }
    }), ARN));

    @Test
    void shouldAcceptTokensOfTheNewKey_whenTheSecretRotatedAfterTheLastRead() throws Exception {
        // Arrange: the token function already signs with k2, this (buy) codec last read k1
        secret.set(Map.of("current", K2, "previous", K1));
        String fromNewKey = signedWith(K2);
        String fromOldKey = signedWith(K1);

        // Act + Assert: both verify, the new key after one more read of the secret
        assertThat(codec.verify(fromNewKey, "u", "p", Instant.now()).nonce()).isEqualTo("n");
        assertThat(codec.verify(fromOldKey, "u", "p", Instant.now()).nonce()).isEqualTo("n");
        assertThat(reads).hasValue(2);
        assertThat(codec.encode(new PurchaseToken("u", "p", "n", Instant.now().plusSeconds(30))))
                .satisfies(token -> assertThat(new PurchaseTokenCodec(TokenKey.parse(K2), Optional.empty())
                        .verify(token, "u", "p", Instant.now()).nonce()).isEqualTo("n"));
    }

    @Test
    void shouldReadTheSecretAtMostOnceIn10Seconds_whenTokensNameUnknownKeys() throws Exception {
        String forged = signedWith(K3);

        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> codec.verify(forged, "u", "p", Instant.now()))
                    .isInstanceOf(InvalidPurchaseTokenException.class);
        }

        assertThat(reads).hasValue(2);
    }

    private static String signedWith(String key) {
        return new PurchaseTokenCodec(TokenKey.parse(key), Optional.empty())
                .encode(new PurchaseToken("u", "p", "n", Instant.now().plusSeconds(30)));
    }
}
