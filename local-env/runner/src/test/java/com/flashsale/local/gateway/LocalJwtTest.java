package com.flashsale.local.gateway;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The authorizer's check, with its cache of verified tokens. */
class LocalJwtTest {

    private final LocalJwt jwt = new LocalJwt();

    @Test
    void shouldRefuseAToken_onceItExpired_evenAfterItWasVerified() {
        String token = jwt.issue("carol", false, Duration.ofSeconds(1));

        assertThat(jwt.verify("Bearer " + token)).hasValueSatisfying(claims -> assertThat(claims).containsEntry("sub", "carol"));
        assertThat(jwt.verify("Bearer " + token)).as("the cached verification").isPresent();
        await().atMost(Duration.ofSeconds(10)).until(() -> jwt.verify("Bearer " + token).isEmpty());
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
