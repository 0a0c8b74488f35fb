package com.flashsale.shared.token;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** An HMAC-SHA256 key with the id that tokens name it by. {@link #toString()} never shows the secret. */
public final class TokenKey {

    private static final int MIN_SECRET_BYTES = 32;

    private final String id;
    private final byte[] secret;

    public TokenKey(String id, byte[] secret) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a token key needs an id");
        }
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("token key " + id + " must have at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.id = id;
        this.secret = secret.clone();
    }

    /** A key from configuration text: {@code <id>:<secret>}. */
    public static TokenKey parse(String idColonSecret) {
        int colon = idColonSecret == null ? -1 : idColonSecret.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("a token key is written <id>:<secret>");
        }
        return new TokenKey(idColonSecret.substring(0, colon),
                idColonSecret.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
    }

    public String id() {
        return id;
    }

    byte[] secret() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenKey key && id.equals(key.id) && Arrays.equals(secret, key.secret);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "TokenKey[" + id + "]";
    }
}
