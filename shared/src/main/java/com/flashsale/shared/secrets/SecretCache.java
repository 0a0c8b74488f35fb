package com.flashsale.shared.secrets;

import io.micronaut.context.annotation.Requires;
import io.micronaut.crac.OrderedResource;
import jakarta.inject.Singleton;
import org.crac.Context;
import org.crac.Resource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The secrets as last read, so that a rotated secret reaches a warm function without a redeploy:
 * a value is read again when it is older than its maximum age, when its user saw it fail
 * ({@code refresh...}), and after a SnapStart restore (the snapshot may be days old). Values are
 * never logged.
 */
@Singleton
@Requires(beans = SecretSource.class)
public class SecretCache implements OrderedResource {

    private final SecretSource source;
    private final Clock clock;
    private final Map<String, Read> reads = new ConcurrentHashMap<>();

    public SecretCache(SecretSource source) {
        this(source, Clock.systemUTC());
    }

    SecretCache(SecretSource source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    /** The secret's string, read again when the last read is older than maxAge. */
    public String string(String secretArn, Duration maxAge) {
        return (String) cached("string " + secretArn, maxAge, () -> source.string(secretArn));
    }

    /** The secret's string read again now (its user saw the cached value refused). */
    public String refreshString(String secretArn) {
        return (String) read("string " + secretArn, () -> source.string(secretArn));
    }

    /** The secret as a JSON object, read again when the last read is older than maxAge. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> json(String secretArn, Duration maxAge) {
        return (Map<String, Object>) cached("json " + secretArn, maxAge, () -> source.json(secretArn));
    }

    /** The secret as a JSON object read again now (its user saw the cached value refused). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> refreshJson(String secretArn) {
        return (Map<String, Object>) read("json " + secretArn, () -> source.json(secretArn));
    }

    private Object cached(String key, Duration maxAge, Supplier<Object> reader) {
        Read read = reads.get(key);
        if (read != null && read.at().plus(maxAge).isAfter(clock.instant())) {
            return read.value();
        }
        return read(key, reader);
    }

    private Object read(String key, Supplier<Object> reader) {
        Object value = reader.get();
        reads.put(key, new Read(value, clock.instant()));
        return value;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        // nothing to close
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        reads.clear();
    }

    private record Read(Object value, Instant at) {
    }
}
