package com.flashsale.shared.crac;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The random source of every id and nonce (request ids, purchase-token nonces, product ids).
 *
 * <p>Why not {@code UUID.randomUUID()} or a {@code static final SecureRandom}: with SnapStart the
 * generator is created and seeded before the snapshot, and every container restored from that
 * snapshot starts from the same state. Whether it then yields the same numbers depends on the
 * provider (NativePRNG mixes in /dev/urandom on each call; DRBG and SHA1PRNG do not). So the
 * generator is created again after every restore ({@link #reseed()}, called by
 * {@link ReseedOnRestore}), seeded from that container's own entropy.
 */
public final class RestoreSafeRandom {

    private static final RestoreSafeRandom SHARED = new RestoreSafeRandom(new SecureRandom());
    private static final HexFormat HEX = HexFormat.of();

    private volatile SecureRandom random;

    RestoreSafeRandom(SecureRandom initial) {
        this.random = initial;
    }

    /** The one instance the functions draw from. */
    public static RestoreSafeRandom shared() {
        return SHARED;
    }

    public void nextBytes(byte[] bytes) {
        random.nextBytes(bytes);
    }

    /** {@code bytes} random bytes as lower-case hex. */
    public String hex(int bytes) {
        byte[] value = new byte[bytes];
        nextBytes(value);
        return HEX.formatHex(value);
    }

    /** A new generator, seeded from this container's entropy (after a restore). */
    public void reseed() {
        random = new SecureRandom();
    }

    SecureRandom generator() {
        return random;
    }
}
