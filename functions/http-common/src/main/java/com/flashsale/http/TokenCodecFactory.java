package com.flashsale.http;

import com.flashsale.shared.secrets.SecretSource;
import com.flashsale.shared.token.PurchaseTokenCodec;
import com.flashsale.shared.token.TokenKey;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;

/**
 * The purchase-token codec, keyed by {@code flashsale.token.current-key} and optional
 * {@code previous-key} (each {@code id:secret}), or, when {@code flashsale.token.keys-secret-arn}
 * is set, by the Secrets Manager secret {@code {"current":"id:secret","previous":"id:secret"}} (as infra-terraform
 * creates it; {@code currentKey}/{@code previousKey} are read too).
 */
@Factory
public class TokenCodecFactory {

    @Singleton
    PurchaseTokenCodec purchaseTokenCodec(@Value("${flashsale.token.current-key:}") String currentKey,
                                          @Value("${flashsale.token.previous-key:}") String previousKey,
                                          @Value("${flashsale.token.keys-secret-arn:}") String secretArn,
                                          SecretSource secrets) {
        if (!secretArn.isBlank()) {
            Map<String, Object> secret = secrets.json(secretArn);
            currentKey = String.valueOf(secret.getOrDefault("current", secret.getOrDefault("currentKey", "")));
            previousKey = String.valueOf(secret.getOrDefault("previous", secret.getOrDefault("previousKey", "")));
        }
        if (currentKey == null || currentKey.isBlank()) {
            throw new ConfigurationException("flashsale.token.current-key (or keys-secret-arn) is required");
        }
        try {
            return new PurchaseTokenCodec(TokenKey.parse(currentKey),
                    previousKey == null || previousKey.isBlank() || "null".equals(previousKey)
                            ? Optional.empty() : Optional.of(TokenKey.parse(previousKey)));
        } catch (IllegalArgumentException e) {
            // the message names the key id at most, never the secret
            throw new ConfigurationException("unusable purchase-token key: " + e.getMessage());
        }
    }
}
