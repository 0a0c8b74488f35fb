package com.flashsale.result;

import com.flashsale.http.ApiException;
import com.flashsale.http.DependencyBreakers;
import com.flashsale.http.ProductCacheConfiguration;
import com.flashsale.http.RedisAccess;
import com.flashsale.shared.redis.RedisKeys;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Keeps the crowd's unknown ids off Postgres. The result function reads Postgres only when Redis
 * does not have what it is asked for; an id Postgres does not have either is then remembered as
 * unknown, in this container ({@link ResultSettings#unknownInContainer()}) and in Redis under a key
 * in a slot of its own ({@link RedisKeys#unknown}, a jittered TTL), so that asking again costs no
 * query, in any container. While an id is being read, the other requests for it in this container
 * wait for that one read (single flight). Every read goes through the Postgres breaker.
 */
@Singleton
class UnknownIds {

    /** What an id names; part of its marker's key. */
    enum Kind {
        /** A product's row is kept a moment too: before its preload, a crowd would read it on every view. */
        PRODUCT("product", true), REQUEST("request", false), ORDER("order", false);

        final String key;
        final boolean keepFound;

        Kind(String key, boolean keepFound) {
            this.key = key;
            this.keepFound = keepFound;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(UnknownIds.class);
    private static final int MAX_ENTRIES = 10_000;

    private final RedisAccess redis;
    private final DependencyBreakers breakers;
    private final ResultSettings settings;
    private final long keepFoundNanos;
    /** Marker key -> a row found, kept until System.nanoTime() passes {@link Found#until}. */
    private final ConcurrentHashMap<String, Found> found = new ConcurrentHashMap<>();
    /** Marker key -> System.nanoTime() until which the id is unknown here. */
    private final ConcurrentHashMap<String, Long> unknownUntil = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Optional<?>>> reading = new ConcurrentHashMap<>();

    UnknownIds(RedisAccess redis, DependencyBreakers breakers, ResultSettings settings, ProductCacheConfiguration cache) {
        this.redis = redis;
        this.breakers = breakers;
        this.settings = settings;
        this.keepFoundNanos = cache.productCacheTtl().toNanos();
    }

    /**
     * What Postgres has under the id ({@code read}), or empty without asking it when the id is known
     * to be unknown. A product found is kept for {@code flashsale.product-cache-ttl}. 503 UNAVAILABLE
     * while the Postgres breaker is open.
     */
    @SuppressWarnings("unchecked")
    <T> Optional<T> find(Kind kind, String id, Supplier<Optional<T>> read) {
        String marker = RedisKeys.unknown(kind.key, id);
        Found kept = found.get(marker);
        if (kept != null && kept.until - System.nanoTime() > 0) {
            return Optional.of((T) kept.row);
        }
        if (knownUnknown(marker)) {
            return Optional.empty();
        }
        if (markedInRedis(marker)) {
            remember(kind, marker);
            return Optional.empty();
        }
        return readOnce(kind, marker, read);
    }

    /** One read per id at a time: a request that finds one under way takes its answer. */
    @SuppressWarnings("unchecked")
    private <T> Optional<T> readOnce(Kind kind, String marker, Supplier<Optional<T>> read) {
        CompletableFuture<Optional<?>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<?>> running = reading.putIfAbsent(marker, mine);
        if (running != null) {
            try {
                return (Optional<T>) running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        try {
            if (knownUnknown(marker)) {
                // a read that ended while this request looked for a marker had the answer
                mine.complete(Optional.empty());
                return Optional.empty();
            }
            Optional<T> row = breakers.database(read);
            if (row.isEmpty()) {
                // before the read is over: a request arriving after it must find the id unknown
                remember(kind, marker);
                markInRedis(kind, marker);
            } else if (kind.keepFound) {
                if (found.size() >= MAX_ENTRIES) {
                    found.clear();
                }
                found.put(marker, new Found(row.get(), System.nanoTime() + keepFoundNanos));
            }
            mine.complete(row);
            return row;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            reading.remove(marker, mine);
        }
    }

    private boolean knownUnknown(String marker) {
        Long until = unknownUntil.get(marker);
        return until != null && until - System.nanoTime() > 0;
    }

    private boolean markedInRedis(String marker) {
        try {
            return redis.get(marker) != null;
        } catch (ApiException e) {
            return false; // Redis down: Postgres (under its breaker) answers
        }
    }

    private void remember(Kind kind, String marker) {
        if (unknownUntil.size() >= MAX_ENTRIES) {
            unknownUntil.clear();
        }
        long ttl = Math.min(settings.unknownInContainer().toNanos(), markerTtl(kind).toNanos());
        unknownUntil.put(marker, System.nanoTime() + ttl);
    }

    private void markInRedis(Kind kind, String marker) {
        Duration ttl = markerTtl(kind);
        Duration jittered = ttl.plusMillis(ThreadLocalRandom.current().nextLong(ttl.toMillis() + 1));
        try {
            redis.setExpiring(marker, "1", jittered).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.debug("unknown-id marker {} not written ({})", marker, failure.toString());
                }
            });
        } catch (ApiException e) {
            // Redis down: this container still remembers it
        }
    }

    private record Found(Object row, long until) {
    }

    private Duration markerTtl(Kind kind) {
        return kind == Kind.REQUEST ? settings.unknownRequestTtl() : settings.unknownTtl();
    }
}
