package com.flashsale.http;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.RedisCommandExecutionException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One circuit breaker per dependency (resilience4j), per warm container: after
 * {@link BreakerConfiguration#failures()} calls in a row failed or timed out, a breaker opens and
 * calls to that dependency are refused at once (503 UNAVAILABLE) instead of each waiting for its
 * timeout; after {@link BreakerConfiguration#openFor()} one call at a time goes through as a probe,
 * and the first that succeeds closes it again. Redis is guarded command by command
 * ({@link RedisBreakerGuard}), Kafka around the order publish (buy's OrderPublisher), Postgres
 * around the result function's reads ({@link #database}).
 */
@Singleton
public class DependencyBreakers {

    private static final Logger LOG = LoggerFactory.getLogger(DependencyBreakers.class);
    /** A probe that never reports (a bug) must not keep a breaker half-open for ever. */
    private static final Duration PROBE_DEADLINE = Duration.ofSeconds(30);

    private final CircuitBreaker redis;
    private final CircuitBreaker kafka;
    private final CircuitBreaker postgres;

    public DependencyBreakers(BreakerConfiguration settings) {
        // Redis answering with an error (NOSCRIPT, a script's refusal) is Redis up
        redis = breaker("redis", settings, failure -> JsonErrorResponseProcessor.isDependencyFailure(failure)
                && !(failure instanceof RedisCommandExecutionException));
        kafka = breaker("kafka", settings, failure -> true);
        postgres = breaker("postgres", settings, JsonErrorResponseProcessor::isDependencyFailure);
    }

    private static CircuitBreaker breaker(String name, BreakerConfiguration settings, Predicate<Throwable> outage) {
        CircuitBreaker breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                // the last `failures` calls all failed: that many failures in a row
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.failures())
                .minimumNumberOfCalls(settings.failures())
                .failureRateThreshold(100)
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .maxWaitDurationInHalfOpenState(PROBE_DEADLINE)
                .recordException(outage)
                .writableStackTraceEnabled(false)
                .build());
        breaker.getEventPublisher().onStateTransition(event ->
                LOG.warn("{} breaker: {}", name, event.getStateTransition()));
        return breaker;
    }

    public CircuitBreaker redis() {
        return redis;
    }

    public CircuitBreaker kafka() {
        return kafka;
    }

    public CircuitBreaker postgres() {
        return postgres;
    }

    /** A Postgres read under its breaker: 503 UNAVAILABLE at once while it is open. */
    public <T> T database(Supplier<T> read) {
        try {
            return postgres.executeSupplier(read);
        } catch (CallNotPermittedException e) {
            throw ApiException.unavailable("the database is unavailable; please retry");
        }
    }
}
