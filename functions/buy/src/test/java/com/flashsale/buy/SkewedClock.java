package com.flashsale.buy;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;

/** The container's clock, off by {@code test.clock-skew-seconds} (either way), when that is set. */
@Factory
@Requires(property = SkewedClock.SKEW_SECONDS)
class SkewedClock {

    static final String SKEW_SECONDS = "test.clock-skew-seconds";

    @Singleton
    @Replaces(bean = Clock.class, factory = FunctionClock.class)
    Clock clock(@Value("${" + SKEW_SECONDS + "}") long skewSeconds) {
        return Clock.offset(Clock.systemUTC(), Duration.ofSeconds(skewSeconds));
    }
}
