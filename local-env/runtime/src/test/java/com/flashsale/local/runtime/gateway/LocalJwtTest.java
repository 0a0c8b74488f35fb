package com.flashsale.local.runtime.gateway;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The authorizer's check, with its cache of verified tokens. */
class LocalJwtTest {

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final LocalJwt jwt = new LocalJwt(clock);

    @Test
    void shouldRefuseAToken_onceItExpired_evenAfterItWasVerified() {
        String token = jwt.issue("carol", false, Duration.ofMinutes(1));

        assertThat(jwt.verify("Bearer " + token)).hasValueSatisfying(claims -> assertThat(claims).containsEntry("sub", "carol"));
        clock.now = clock.now.plusSeconds(30);
        assertThat(jwt.verify("Bearer " + token)).as("the cached verification, still valid").isPresent();
        clock.now = clock.now.plusSeconds(31);
        assertThat(jwt.verify("Bearer " + token)).as("the cached verification, expired").isEmpty();
    }

    @Test
    void shouldRefuseATamperedToken_whoseGenuineTextWasVerified() {
        String token = jwt.issue("dave", false, Duration.ofMinutes(5));
        assertThat(jwt.verify("Bearer " + token)).isPresent();

        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");

        assertThat(jwt.verify("Bearer " + tampered)).isEmpty();
        assertThat(jwt.verify("Bearer " + new LocalJwt().issue("dave", false, Duration.ofMinutes(5))))
                .as("signed by another key").isEmpty();
    }
}
