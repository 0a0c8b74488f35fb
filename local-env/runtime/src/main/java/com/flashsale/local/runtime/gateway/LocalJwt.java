package com.flashsale.local.runtime.gateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens for the local environment: signed with a key made at start-up, and checked the way
 * API Gateway's JWT authorizer checks them (signature, issuer, audience, expiry). The claims then
 * reach the functions as strings, as the authorizer passes them.
 */
public final class LocalJwt {

    public static final String ADMIN_SCOPE = "flashsale/admin";
    static final String AUDIENCE = "flashsale-local";
    static final String ISSUER = "https://flashsale.local/";

    /** Enough for the benchmark's crowds; past it the cache starts over. */
    private static final int MAX_VERIFIED = 100_000;

    private final RSAKey key;
    private final RSASSASigner signer;
    private final RSASSAVerifier verifier;
    /**
     * Tokens issued or already verified, by their text: the same text always has the same signature, issuer
     * and audience, so a repeat costs a map lookup and the expiry check instead of an RSA
     * verification, which API Gateway's authorizer does on its own machines, not on this one's cores.
     */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(Map<String, String> claims, Instant expiresAt) {
    }

    private final Clock clock;

    public LocalJwt() {
        this(Clock.systemUTC());
    }

    /** @param clock what "now" is for issuing and for expiry (a test moves it) */
    LocalJwt(Clock clock) {
        this.clock = clock;
        try {
            this.key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            this.signer = new RSASSASigner(key);
            this.verifier = new RSASSAVerifier(key.toRSAPublicKey());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make the local signing key", e);
        }
    }

    public String issue(String userId, boolean admin, Duration lifetime) {
        Instant now = clock.instant();
        var claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER).audience(AUDIENCE).subject(userId)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .claim("scope", admin ? "openid " + ADMIN_SCOPE : "openid")
                .build();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        String token = jwt.serialize();
        try {
            // minted here, so known valid: its first request is not an RSA verification either; the
            // claims as read back from the text, exactly what a verification would pass on
            remember(token, verified(SignedJWT.parse(token).getJWTClaimsSet()));
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        return token;
    }

    /** The claims of a valid bearer token, as strings; empty when missing or invalid. */
    public Optional<Map<String, String>> verify(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).trim();
        Verified known = verified.get(token);
        if (known == null) {
            known = verifySignature(token);
            if (known == null) {
                return Optional.empty();
            }
            remember(token, known);
        }
        return clock.instant().isBefore(known.expiresAt()) ? Optional.of(known.claims()) : Optional.empty();
    }

    private void remember(String token, Verified claims) {
        if (verified.size() >= MAX_VERIFIED) {
            verified.clear();
        }
        verified.put(token, claims);
    }

    /** Signature, algorithm, issuer, audience, subject; null when any is wrong (expiry is the caller's). */
    private Verified verifySignature(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            boolean valid = JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
                    && jwt.verify(verifier)
                    && ISSUER.equals(claims.getIssuer())
                    && claims.getAudience() != null && claims.getAudience().contains(AUDIENCE)
                    && claims.getExpirationTime() != null
                    && claims.getSubject() != null;
            return valid ? verified(claims) : null;
        } catch (ParseException | JOSEException | RuntimeException e) {
            return null;
        }
    }

    private static Verified verified(JWTClaimsSet claims) {
        return new Verified(Collections.unmodifiableMap(asStrings(claims)), claims.getExpirationTime().toInstant());
    }

    private static Map<String, String> asStrings(JWTClaimsSet claims) {
        Map<String, String> strings = new LinkedHashMap<>();
        claims.getClaims().forEach((name, value) -> {
            if (value instanceof Date date) {
                strings.put(name, Long.toString(date.toInstant().getEpochSecond()));
            } else if (value instanceof List<?> list) {
                strings.put(name, "[" + String.join(" ", list.stream().map(String::valueOf).toList()) + "]");
            } else {
                strings.put(name, String.valueOf(value));
            }
        });
        return strings;
    }

    static boolean hasScope(Map<String, String> claims, String scope) {
        return List.of(claims.getOrDefault("scope", "").split(" ")).contains(scope);
    }
}
