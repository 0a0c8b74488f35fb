package com.flashsale.shared.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;

/**
 * Purchase tokens as compact HS256 JWS: {@code sub} user, {@code pid} product, {@code jti} nonce,
 * {@code exp} expiry, header {@code kid}. Verification is stateless and constant-time (Nimbus);
 * whether the nonce is still unused is Redis's call.
 *
 * <p>Two keys for rotation: new tokens are signed with the current key, and tokens signed with
 * the previous key stay valid until they expire. With a {@link KeySource} (the keys' secret) the
 * keys follow a rotation without a redeploy: the source is asked at every use (it caches), and
 * asked to read again when a token names a key id this codec does not know.
 */
public final class PurchaseTokenCodec {

    /** Longest accepted token, far above a real one (about 250 characters). */
    private static final int MAX_TOKEN_LENGTH = 1024;

    private final KeySource source;
    private volatile Keys keys;

    public PurchaseTokenCodec(TokenKey current, Optional<TokenKey> previous) {
        this(KeySource.fixed(new TokenKeys(current, previous)));
    }

    public PurchaseTokenCodec(KeySource source) {
        this.source = source;
        this.keys = new Keys(source.keys());
    }

    /** The keys as the source has them now (rebuilt only when they changed). */
    private Keys keys(boolean refresh) {
        TokenKeys now = refresh ? source.refreshed() : source.keys();
        Keys known = keys;
        if (!known.of().equals(now)) {
            known = new Keys(now);
            keys = known;
        }
        return known;
    }

    /** The current and the previous key (absent, or the same id, when there is none). */
    public record TokenKeys(TokenKey current, Optional<TokenKey> previous) {
    }

    /** Where the keys come from: {@link #keys()} may cache; {@link #refreshed()} reads again. */
    public interface KeySource {

        TokenKeys keys();

        TokenKeys refreshed();

        static KeySource fixed(TokenKeys keys) {
            return new KeySource() {
                @Override
                public TokenKeys keys() {
                    return keys;
                }

                @Override
                public TokenKeys refreshed() {
                    return keys;
                }
            };
        }
    }

    private record Keys(TokenKeys of, MACSigner signer, Map<String, MACVerifier> verifiers) {

        Keys(TokenKeys of) {
            this(of, signer(of.current()), of.previous().filter(key -> !key.id().equals(of.current().id()))
                    .map(key -> Map.of(of.current().id(), verifier(of.current()), key.id(), verifier(key)))
                    .orElse(Map.of(of.current().id(), verifier(of.current()))));
        }

        private static MACSigner signer(TokenKey key) {
            try {
                return new MACSigner(key.secret());
            } catch (JOSEException e) {
                throw new IllegalArgumentException("unusable token key " + key.id(), e);
            }
        }
    }

    private static MACVerifier verifier(TokenKey key) {
        try {
            return new MACVerifier(key.secret());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable token key " + key.id(), e);
        }
    }

    public String encode(PurchaseToken token) {
        var claims = new JWTClaimsSet.Builder()
                .subject(token.userId())
                .claim("pid", token.productId())
                .jwtID(token.nonce())
                .expirationTime(Date.from(token.expiresAt()))
                .build();
        Keys now = keys(false);
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(now.of().current().id()).build(), claims);
        try {
            jwt.sign(now.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a purchase token", e);
        }
        return jwt.serialize();
    }

    /**
     * Checks signature, expiry and binding to this user and product.
     *
     * @return the token, whose nonce the admission script then spends
     */
    public PurchaseToken verify(String token, String userId, String productId, Instant now)
            throws InvalidPurchaseTokenException {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidPurchaseTokenException("missing or oversized token");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
                throw new InvalidPurchaseTokenException("unexpected algorithm");
            }
            String keyId = jwt.getHeader().getKeyID();
            MACVerifier verifier = keyId == null ? null : keys(false).verifiers().get(keyId);
            if (verifier == null && keyId != null) {
                // signed with a key newer than ours: the secret rotated since we read it
                verifier = keys(true).verifiers().get(keyId);
            }
            if (verifier == null) {
                throw new InvalidPurchaseTokenException("unknown signing key");
            }
            if (!jwt.verify(verifier)) {
                throw new InvalidPurchaseTokenException("bad signature");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expiry = claims.getExpirationTime();
            String nonce = claims.getJWTID();
            if (expiry == null || nonce == null || !now.isBefore(expiry.toInstant())) {
                throw new InvalidPurchaseTokenException("expired");
            }
            if (!userId.equals(claims.getSubject()) || !productId.equals(claims.getStringClaim("pid"))) {
                throw new InvalidPurchaseTokenException("token of another user or product");
            }
            return new PurchaseToken(userId, productId, nonce, expiry.toInstant());
        } catch (ParseException | JOSEException | RuntimeException e) {
            throw new InvalidPurchaseTokenException("unreadable token");
        }
    }
}
