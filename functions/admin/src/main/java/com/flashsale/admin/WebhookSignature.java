package com.flashsale.admin;

import com.flashsale.http.ApiException;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks {@code Flashsale-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">}: the
 * timestamp within the tolerance of now, and a {@code v1} that one of the provider's secrets (current
 * or previous) signed, compared in constant time. Any failure is 401 UNAUTHORIZED, saying no more.
 */
@Singleton
class WebhookSignature {

    static final String HEADER = "Flashsale-Signature";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSignature.class);
    private static final int MAX_HEADER_LENGTH = 1024;

    private final WebhookSecrets secrets;
    private final PaymentWebhookConfiguration configuration;
    private final Clock clock;

    WebhookSignature(WebhookSecrets secrets, PaymentWebhookConfiguration configuration) {
        this.secrets = secrets;
        this.configuration = configuration;
        this.clock = Clock.systemUTC();
    }

    void verify(String header, byte[] rawBody) {
        if (!secrets.configured()) {
            throw ApiException.unavailable("the payment webhook has no signing secret configured");
        }
        if (header == null || header.length() > MAX_HEADER_LENGTH) {
            throw unauthorized();
        }
        Long timestamp = null;
        List<byte[]> signatures = new ArrayList<>(1);
        for (String part : header.split(",")) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length != 2) {
                continue;
            }
            try {
                if (pair[0].equals("t") && pair[1].matches("[0-9]{1,12}")) {
                    timestamp = Long.parseLong(pair[1]);
                } else if (pair[0].equals("v1")) {
                    signatures.add(HexFormat.of().parseHex(pair[1]));
                }
            } catch (IllegalArgumentException e) {
                // not hex: ignored, like an unknown scheme
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            throw unauthorized();
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - timestamp);
        if (skew > configuration.tolerance().toSeconds()) {
            throw unauthorized();
        }
        byte[] signed = signedPayload(timestamp, rawBody);
        boolean valid;
        try {
            valid = secrets.anyMatches(secret -> {
                byte[] expected = hmac(secret, signed);
                boolean any = false;
                for (byte[] signature : signatures) {
                    any |= MessageDigest.isEqual(expected, signature);
                }
                return any;
            });
        } catch (IllegalStateException e) {
            // Secrets Manager unreachable: the provider retries later; the ARN goes to the log, not to the caller
            LOG.warn("payment webhook refused with 503: {}", e.getMessage());
            throw ApiException.unavailable("the webhook's signing secret cannot be read");
        }
        if (!valid) {
            throw unauthorized();
        }
    }

    /** The bytes the provider signs: {@code "<t>.<raw body>"}. */
    static byte[] signedPayload(long timestamp, byte[] rawBody) {
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] payload = new byte[prefix.length + rawBody.length];
        System.arraycopy(prefix, 0, payload, 0, prefix.length);
        System.arraycopy(rawBody, 0, payload, prefix.length, rawBody.length);
        return payload;
    }

    /** The header value the provider sends for this body, signed with this secret at this time. */
    static String header(byte[] secret, Instant at, byte[] rawBody) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secret, signedPayload(t, rawBody)));
    }

    static byte[] hmac(byte[] secret, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static ApiException unauthorized() {
        return new ApiException(HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", "missing, invalid or expired webhook signature");
    }
}
