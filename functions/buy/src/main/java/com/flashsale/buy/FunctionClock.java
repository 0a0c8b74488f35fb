package com.flashsale.buy;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * This container's clock. The buy function reads it for one thing only: the expiry of a purchase
 * token. The sale window is decided by the admission script on Redis {@code TIME}, the one clock
 * every function shares (docs/reliability.md row 12); a test replaces this bean with a skewed clock.
 */
@Factory
class FunctionClock {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
