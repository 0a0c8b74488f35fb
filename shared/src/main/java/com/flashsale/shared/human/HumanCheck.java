package com.flashsale.shared.human;

import java.util.Locale;
import java.util.Map;

/**
 * A product's human verification at the token step: none, an ALTCHA proof of work of the given
 * difficulty (the challenge's {@code maxnumber}: a solver tries half of it on average), or a hosted
 * captcha provider. Kept in Postgres ({@code product.human_check}, {@code human_check_difficulty})
 * and in the product's Redis meta hash ({@code humanCheck}, {@code difficulty}).
 *
 * @param mode       what the token step asks for
 * @param difficulty the ALTCHA {@code maxnumber}; 0 unless the mode is {@link Mode#ALTCHA}
 */
public record HumanCheck(Mode mode, int difficulty) {

    public static final HumanCheck NONE = new HumanCheck(Mode.NONE, 0);
    /** About 50,000 SHA-256 hashes on average: well under a second in a phone's browser. */
    public static final int DEFAULT_DIFFICULTY = 100_000;
    public static final int MIN_DIFFICULTY = 1;
    public static final int MAX_DIFFICULTY = 10_000_000;

    public enum Mode {
        NONE, ALTCHA, PROVIDER;

        /** As the API and the stores spell it: {@code none}, {@code altcha}, {@code provider}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mode of its wire name; IllegalArgumentException for anything else. */
        public static Mode fromWire(String wire) {
            for (Mode mode : values()) {
                if (mode.wire().equals(wire)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("humanCheck must be none, altcha or provider");
        }
    }

    public HumanCheck {
        if (mode == null) {
            throw new IllegalArgumentException("a human check needs a mode");
        }
        if (mode == Mode.ALTCHA ? difficulty < MIN_DIFFICULTY || difficulty > MAX_DIFFICULTY : difficulty != 0) {
            throw new IllegalArgumentException("difficulty must be between " + MIN_DIFFICULTY + " and " + MAX_DIFFICULTY
                    + " for humanCheck altcha, and is not allowed otherwise");
        }
    }

    /**
     * From the create-product request: {@code mode} defaults to none, {@code difficulty} (altcha only)
     * to {@value #DEFAULT_DIFFICULTY}; IllegalArgumentException (its message fit for a 400) otherwise.
     */
    public static HumanCheck of(String mode, Long difficulty) {
        Mode parsed = mode == null ? Mode.NONE : Mode.fromWire(mode);
        if (difficulty == null) {
            return parsed == Mode.ALTCHA ? new HumanCheck(parsed, DEFAULT_DIFFICULTY) : new HumanCheck(parsed, 0);
        }
        if (difficulty < MIN_DIFFICULTY || difficulty > MAX_DIFFICULTY) {
            throw new IllegalArgumentException("difficulty must be between " + MIN_DIFFICULTY + " and " + MAX_DIFFICULTY);
        }
        return new HumanCheck(parsed, difficulty.intValue());
    }

    /**
     * From the product's meta hash. A meta hash without the field was loaded before human checks
     * existed (none); a field that does not parse is an IllegalArgumentException (the caller treats
     * the product as unreadable rather than as unchecked).
     */
    public static HumanCheck fromMeta(Map<String, String> meta) {
        String mode = meta.get("humanCheck");
        if (mode == null) {
            return NONE;
        }
        return new HumanCheck(Mode.fromWire(mode), Integer.parseInt(meta.getOrDefault("difficulty", "0")));
    }

    public boolean required() {
        return mode != Mode.NONE;
    }
}
