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
 * the previous key stay valid until they expire.
 */
public final class PurchaseTokenCodec {

    /** Longest accepted token, far above a real one (about 250 characters). */
    private static final int MAX_TOKEN_LENGTH = 1024;

    private final TokenKey current;
    private final MACSigner signer;
    private final Map<String, MACVerifier> verifiers;

    public PurchaseTokenCodec(TokenKey current, Optional<TokenKey> previous) {
        this.current = current;
        try {
            this.signer = new MACSigner(current.secret());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable token key " + current.id(), e);
        }
        this.verifiers = previous.filter(key -> !key.id().equals(current.id()))
                .map(key -> Map.of(current.id(), verifier(current), key.id(), verifier(key)))
                .orElse(Map.of(current.id(), verifier(current)));
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
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(current.id()).build(), claims);
        try {
            jwt.sign(signer);
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
            MACVerifier verifier = jwt.getHeader().getKeyID() == null ? null : verifiers.get(jwt.getHeader().getKeyID());
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
