package com.flashsale.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Values a warm container keeps per key and refreshes at most once per {@code ttl}, by ONE call at a
 * time: the callers that find a value stale while its refresh is under way wait for that refresh
 * instead of starting their own, so a crowd costs one read per key and period. A failed refresh is
 * forgotten (the next caller tries again) and answers its waiters 503 UNAVAILABLE. Thread-safe.
 *
 * @param <K> the key (a product id, ...)
 * @param <V> the value; null means "not there", kept {@code missTtl} at most
 */
final class SharedRefresh<K, V> {

    private static final int MAX_ENTRIES = 10_000;

    private final long ttlNanos;
    private final long missTtlNanos;
    private final BiFunction<K, V, CompletionStage<V>> load;
    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

    /**
     * @param load reads the value of a key; it gets the value held so far (null for none), so that it
     *             can skip what did not change
     */
    SharedRefresh(Duration ttl, Duration missTtl, BiFunction<K, V, CompletionStage<V>> load) {
        this.ttlNanos = ttl.toNanos();
        this.missTtlNanos = Math.min(ttlNanos, missTtl.toNanos());
        this.load = load;
    }

    /** The key's value, at most {@code ttl} old (when a refresh was needed, its caller waits for it). */
    V get(K key) {
        while (true) {
            long now = System.nanoTime();
            Entry<V> held = entries.get(key);
            if (held != null && !held.staleAt(now, ttlNanos, missTtlNanos)) {
                return Dependencies.await(held.value);
            }
            Entry<V> fresh = new Entry<>(new CompletableFuture<>(), now);
            boolean mine = held == null ? entries.putIfAbsent(key, fresh) == null : entries.replace(key, held, fresh);
            if (mine) {
                if (entries.size() > MAX_ENTRIES) {
                    entries.clear();
                    entries.put(key, fresh);
                }
                refresh(key, held, fresh);
                return Dependencies.await(fresh.value);
            }
            // another caller started the refresh first: the next round waits for that one
        }
    }

    private void refresh(K key, Entry<V> held, Entry<V> fresh) {
        V previous = held == null || held.value.isCompletedExceptionally() ? null : held.value.getNow(null);
        CompletionStage<V> call;
        try {
            call = load.apply(key, previous);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((value, failure) -> {
            if (failure != null) {
                entries.remove(key, fresh);
                fresh.value.completeExceptionally(failure);
            } else {
                fresh.value.complete(value);
            }
        });
    }

    private record Entry<V>(CompletableFuture<V> value, long startedAt) {

        /** A refresh under way is never stale: its callers share it. */
        boolean staleAt(long now, long ttlNanos, long missTtlNanos) {
            if (!value.isDone()) {
                return false;
            }
            boolean miss = value.isCompletedExceptionally() || value.getNow(null) == null;
            return now - startedAt >= (miss ? missTtlNanos : ttlNanos);
        }
    }
}
