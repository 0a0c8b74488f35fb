package com.flashsale.reconciliation;

import com.flashsale.shared.db.OrderRepository;
import com.flashsale.shared.redis.RedisConnection;
import com.flashsale.shared.redis.RedisKeys;
import io.lettuce.core.Limit;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The plain Redis reads and writes reconciliation needs besides the Lua scripts, over the same
 * connection as the {@code SaleGate} (standalone locally, cluster in ElastiCache). Every call names
 * one key of one product, so each goes to that product's shard.
 */
@Singleton
class RedisData {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final RedisConnection connection;

    RedisData(RedisConnection connection) {
        this.connection = connection;
    }

    /** Asked for on each call: the connection is replaced after a SnapStart restore. */
    private RedisClusterAsyncCommands<String, String> redis() {
        return connection.commands();
    }

    /** Redis server time: the one clock the admission script uses for outbox entry ids. */
    Instant now() {
        List<String> time = await(redis().time());
        return Instant.ofEpochSecond(Long.parseLong(time.get(0)), Long.parseLong(time.get(1)) * 1000);
    }

    /** Available stock, or null when the key is gone. */
    Long stock(String productId) {
        String value = await(redis().get(RedisKeys.product(productId).stock()));
        return value == null ? null : Long.parseLong(value);
    }

    boolean metaExists(String productId) {
        return await(redis().exists(RedisKeys.product(productId).meta())) > 0;
    }

    /**
     * Walks the buyers hash (userId -> requestId) with HSCAN, a chunk at a time: never the whole hash
     * in memory, and never Redis blocked for one huge HGETALL in the middle of a sale. The next chunk
     * is asked for before this one is handed over, so Redis and the caller work at the same time. An
     * entry may come twice (HSCAN's promise while the hash grows); the caller must not mind.
     */
    void scanBuyers(String productId, Consumer<List<String>> requestIds) {
        String key = RedisKeys.product(productId).buyers();
        ScanArgs chunk = ScanArgs.Builder.limit(SaleQueries.CHUNK);
        MapScanCursor<String, String> page = await(redis().hscan(key, chunk));
        while (true) {
            CompletableFuture<MapScanCursor<String, String>> next = page.isFinished()
                    ? null : redis().hscan(key, page, chunk).toCompletableFuture();
            if (!page.getMap().isEmpty()) {
                requestIds.accept(List.copyOf(page.getMap().values()));
            }
            if (next == null) {
                return;
            }
            page = await(next);
        }
    }

    /**
     * Walks the outbox entries with an id up to {@code until} (inclusive; null: all), oldest first, a
     * page of at most {@code pageSize} at a time (XRANGE ... COUNT): never one huge reply, nor Redis
     * blocked for it, however long Kafka has been away.
     */
    void walkOutbox(String productId, Instant until, int pageSize, Consumer<List<StreamMessage<String, String>>> pages) {
        String key = RedisKeys.product(productId).outbox();
        String last = until == null ? "+" : Long.toString(until.toEpochMilli());
        String from = "-";
        while (true) {
            List<StreamMessage<String, String>> page = await(redis().xrange(key, Range.create(from, last),
                    Limit.from(pageSize)));
            if (!page.isEmpty()) {
                pages.accept(page);
            }
            if (page.size() < pageSize) {
                return;
            }
            from = nextId(page.get(page.size() - 1).getId());
        }
    }

    /** The smallest stream id after {@code id} ({@code ms-seq}): where the next page starts. */
    static String nextId(String id) {
        int dash = id.indexOf('-');
        long ms = Long.parseLong(id.substring(0, dash));
        long seq = Long.parseUnsignedLong(id.substring(dash + 1));
        return seq == -1L ? (ms + 1) + "-0" : ms + "-" + Long.toUnsignedString(seq + 1);
    }

    void deleteFromOutbox(String productId, List<String> entryIds) {
        if (!entryIds.isEmpty()) {
            await(redis().xdel(RedisKeys.product(productId).outbox(), entryIds.toArray(String[]::new)));
        }
    }

    /** The status of each request in Redis (null when Redis has no state), one pipelined HGET each. */
    Map<String, String> statuses(String productId, List<String> requestIds) {
        return eachRequest(productId, requestIds, key -> redis().hget(key, "status"));
    }

    /** The state hash of each request (empty when Redis has none), one pipelined HGETALL each. */
    Map<String, Map<String, String>> states(String productId, List<String> requestIds) {
        return eachRequest(productId, requestIds, key -> redis().hgetall(key));
    }

    /** The quantity of each request, from its state hash (0 when the state is gone). */
    Map<String, Integer> quantities(String productId, List<String> requestIds) {
        Map<String, Integer> quantities = new LinkedHashMap<>();
        eachRequest(productId, requestIds, key -> redis().hget(key, "quantity"))
                .forEach((id, quantity) -> quantities.put(id, quantity == null ? 0 : Integer.parseInt(quantity)));
        return quantities;
    }

    /** One call per request state hash, all sent at once (Lettuce pipelines them), their replies by request id. */
    private <T> Map<String, T> eachRequest(String productId, List<String> requestIds,
                                           Function<String, CompletionStage<T>> call) {
        RedisKeys keys = RedisKeys.product(productId);
        Map<String, CompletableFuture<T>> calls = new LinkedHashMap<>();
        requestIds.forEach(id -> calls.put(id, call.apply(keys.request(id)).toCompletableFuture()));
        await(CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new)));
        Map<String, T> replies = new LinkedHashMap<>();
        calls.forEach((id, reply) -> replies.put(id, reply.join()));
        return replies;
    }

    /**
     * Puts back buyers that Redis lost, without touching a slot that is there. Not awaited: the caller
     * reads its next chunk meanwhile.
     *
     * @return how many were added, once Redis has answered
     */
    CompletableFuture<Long> refillBuyers(String productId, List<OrderRepository.Buyer> buyers, Instant expireAt) {
        String key = RedisKeys.product(productId).buyers();
        List<CompletableFuture<Boolean>> calls = buyers.stream()
                .map(b -> redis().hsetnx(key, b.userId(), b.requestId()).toCompletableFuture()).toList();
        CompletableFuture<Boolean> expiry = redis().pexpireat(key, expireAt.toEpochMilli()).toCompletableFuture();
        return CompletableFuture.allOf(expiry, CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)))
                .thenApply(done -> calls.stream().filter(CompletableFuture::join).count());
    }

    /**
     * Marks requests as released without moving stock: after a rebuild, whose stock already counts
     * them, a later release of one of them must be a no-op.
     */
    void markReleased(String productId, List<String> requestIds, Instant expireAt) {
        String key = RedisKeys.product(productId).released();
        await(redis().sadd(key, requestIds.toArray(String[]::new)));
        await(redis().pexpireat(key, expireAt.toEpochMilli()));
    }

    static <T> T await(CompletionStage<T> call) {
        try {
            return call.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis", e);
        } catch (Exception e) {
            throw new IllegalStateException("Redis call failed", e);
        }
    }
}
