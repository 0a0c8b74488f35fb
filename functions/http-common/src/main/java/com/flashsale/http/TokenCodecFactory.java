package com.flashsale.http;

import com.flashsale.shared.secrets.SecretSource;
import com.flashsale.shared.token.PurchaseTokenCodec;
import com.flashsale.shared.token.TokenKey;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.util.StringUtils;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;

/**
 * The purchase-token codec, keyed by {@code flashsale.token.current-key} and optional
 * {@code previous-key} (each {@code id:secret}), or, when {@code flashsale.token.keys-secret-arn}
 * is set, by the Secrets Manager secret {@code {"current":"id:secret","previous":"id:secret"}} (as infra-terraform
 * creates it; {@code currentKey}/{@code previousKey} are read too). See {@link TokenConfiguration}.
 */
@Factory
public class TokenCodecFactory {

    @Singleton
    PurchaseTokenCodec purchaseTokenCodec(TokenConfiguration token, SecretSource secrets) {
        String currentKey = token.currentKey();
        String previousKey = token.previousKey();
        if (StringUtils.hasText(token.keysSecretArn())) {
            Map<String, Object> secret = secrets.json(token.keysSecretArn());
            currentKey = String.valueOf(secret.getOrDefault("current", secret.getOrDefault("currentKey", "")));
            previousKey = String.valueOf(secret.getOrDefault("previous", secret.getOrDefault("previousKey", "")));
        }
        if (!StringUtils.hasText(currentKey)) {
            throw new ConfigurationException("flashsale.token.current-key (or keys-secret-arn) is required");
        }
        try {
            return new PurchaseTokenCodec(TokenKey.parse(currentKey),
                    !StringUtils.hasText(previousKey) || "null".equals(previousKey)
                            ? Optional.empty() : Optional.of(TokenKey.parse(previousKey)));
        } catch (IllegalArgumentException e) {
            // the message names the key id at most, never the secret
            throw new ConfigurationException("unusable purchase-token key: " + e.getMessage());
        }
    }
}
