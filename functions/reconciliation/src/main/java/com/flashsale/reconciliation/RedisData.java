package com.flashsale.reconciliation;

import com.flashsale.shared.db.OrderRepository;
import com.flashsale.shared.db.Product;
import com.flashsale.shared.redis.RedisConnection;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.redis.SaleGate;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The plain Redis reads and writes reconciliation needs besides the Lua scripts, over the same
 * connection as the {@code SaleGate} (standalone locally, cluster in ElastiCache). Every call names
 * one key of one stock shard of a product, so each goes to that shard's slot; what is the product's
 * (its stock, buyers, outbox) is read over all its shards.
 */
@Singleton
class RedisData {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final RedisConnection connection;
    private final SaleGate gate;
    /** The stock shards of the watched products, from Postgres (fixed at creation). */
    private final Map<String, Integer> shardCounts = new ConcurrentHashMap<>();

    RedisData(RedisConnection connection, SaleGate gate) {
        this.connection = connection;
        this.gate = gate;
    }

    /** Records how many stock shards each of these products has. */
    void watch(List<Product> sales) {
        sales.forEach(sale -> shardCounts.put(sale.id(), sale.shards()));
    }

    private int shards(String productId) {
        return shardCounts.getOrDefault(productId, 1);
    }

    private List<RedisKeys> eachShard(String productId) {
        return IntStream.range(0, shards(productId)).mapToObj(k -> RedisKeys.shard(productId, k)).toList();
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

    /**
     * Available stock over every shard, with the units of transfers between shards not yet
     * received; null when a shard's stock key is gone.
     */
    Long stock(String productId) {
        long units = await(gate.shards().unitsLeft(productId, shards(productId)));
        return units < 0 ? null : units;
    }

    boolean metaExists(String productId) {
        return await(gate.shards().readAll(productId, shards(productId))).stream().allMatch(shard -> shard.shards() > 0);
    }

    /** Finishes transfers between the product's shards that a crash interrupted; how many it finished. */
    long finishTransfers(String productId) {
        return shards(productId) == 1 ? 0 : await(gate.shards().finishTransfers(productId, shards(productId)));
    }

    /**
     * Walks the buyers hash (userId -> requestId) with HSCAN, a chunk at a time: never the whole hash
     * in memory, and never Redis blocked for one huge HGETALL in the middle of a sale. The next chunk
     * is asked for before this one is handed over, so Redis and the caller work at the same time. An
     * entry may come twice (HSCAN's promise while the hash grows); the caller must not mind.
     */
    void scanBuyers(String productId, Consumer<List<String>> requestIds) {
        eachShard(productId).forEach(shard -> scanHash(shard.buyers(), requestIds));
    }

    private void scanHash(String key, Consumer<List<String>> requestIds) {
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
     * blocked for it, however long Kafka has been away. Shard after shard: a page is of one shard.
     */
    void walkOutbox(String productId, Instant until, int pageSize, Consumer<List<StreamMessage<String, String>>> pages) {
        eachShard(productId).forEach(shard -> walkStream(shard.outbox(), until, pageSize, pages));
    }

    private void walkStream(String key, Instant until, int pageSize, Consumer<List<StreamMessage<String, String>>> pages) {
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

    /** Deletes outbox entries, each from the outbox of its request's shard. */
    void deleteFromOutbox(String productId, Map<String, String> requestIdByEntryId) {
        Map<String, List<String>> byOutbox = requestIdByEntryId.entrySet().stream().collect(Collectors.groupingBy(
                e -> RedisKeys.ofRequest(productId, e.getValue()).outbox(), Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        byOutbox.forEach((outbox, entryIds) -> await(redis().xdel(outbox, entryIds.toArray(String[]::new))));
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
        Map<String, CompletableFuture<T>> calls = new LinkedHashMap<>();
        requestIds.forEach(id -> calls.put(id, call.apply(RedisKeys.ofRequest(productId, id).request(id)).toCompletableFuture()));
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
        // each buyer in the shard its request was admitted in
        List<CompletableFuture<Boolean>> calls = buyers.stream().map(b -> redis().hsetnx(
                RedisKeys.ofRequest(productId, b.requestId()).buyers(), b.userId(), b.requestId()).toCompletableFuture()).toList();
        List<CompletableFuture<Boolean>> expiries = eachShard(productId).stream()
                .map(shard -> redis().pexpireat(shard.buyers(), expireAt.toEpochMilli()).toCompletableFuture()).toList();
        return CompletableFuture.allOf(CompletableFuture.allOf(expiries.toArray(CompletableFuture[]::new)),
                        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)))
                .thenApply(done -> calls.stream().filter(CompletableFuture::join).count());
    }

    /**
     * Marks requests as released without moving stock: after a rebuild, whose stock already counts
     * them, a later release of one of them must be a no-op.
     */
    void markReleased(String productId, List<String> requestIds, Instant expireAt) {
        requestIds.stream().collect(Collectors.groupingBy(id -> RedisKeys.ofRequest(productId, id).released())).forEach((key, ids) -> {
            await(redis().sadd(key, ids.toArray(String[]::new)));
            await(redis().pexpireat(key, expireAt.toEpochMilli()));
        });
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
