package com.flashsale.http;

import com.flashsale.shared.secrets.SecretCache;
import com.flashsale.shared.secrets.SecretTokenKeys;
import com.flashsale.shared.token.PurchaseTokenCodec;
import com.flashsale.shared.token.TokenKey;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.util.StringUtils;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The purchase-token codec, keyed by {@code flashsale.token.current-key} and optional
 * {@code previous-key} (each {@code id:secret}), or, when {@code flashsale.token.keys-secret-arn}
 * is set, by the Secrets Manager secret {@code {"current":"id:secret","previous":"id:secret"}} (as infra-terraform
 * creates it; {@code currentKey}/{@code previousKey} are read too), which the codec reads again
 * when it rotates ({@link SecretTokenKeys}). See {@link TokenConfiguration}.
 */
@Factory
public class TokenCodecFactory {

    @Singleton
    PurchaseTokenCodec purchaseTokenCodec(TokenConfiguration token, BeanProvider<SecretCache> secrets) {
        String currentKey = token.currentKey();
        String previousKey = token.previousKey();
        if (StringUtils.hasText(token.keysSecretArn())) {
            // follows a rotation of the secret without a redeploy
            try {
                return new PurchaseTokenCodec(new SecretTokenKeys(secrets.get(), token.keysSecretArn()));
            } catch (IllegalStateException e) {
                throw new ConfigurationException(e.getMessage());
            }
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
