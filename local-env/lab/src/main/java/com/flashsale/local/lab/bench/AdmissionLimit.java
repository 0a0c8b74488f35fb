package com.flashsale.local.lab.bench;

import com.flashsale.local.servers.CommandStats;
import com.flashsale.local.servers.RedisCluster;
import com.flashsale.shared.redis.Admission;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.PurchaseAttempt;
import com.flashsale.shared.redis.RateLimit;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.redis.RequestIds;
import com.flashsale.shared.redis.SaleGate;
import com.flashsale.shared.redis.ScriptRunner;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The physical limit of one product: the real admission script, by EVALSHA, as fast as one
 * pipelined connection can drive it against one product's keys (one hash slot, one Redis core),
 * and on the Redis Cluster with the stock split over several slots (stock shards).
 */
final class AdmissionLimit {

    private AdmissionLimit() {
    }

    /** @return admissions per second, on the standalone server */
    static double measure(String redisUri, int operations, int inFlight) throws InterruptedException {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return measure(connection.async(), 1, operations, inFlight);
        } finally {
            client.shutdown();
        }
    }

    /**
     * Admission on the Redis Cluster, and what it cost the busiest master: its script calls and the
     * time its one thread spent in them (INFO commandstats, reset before the run).
     *
     * @param perSecond   admissions per second, through one cluster connection
     * @param hottestCalls EVALSHA calls on the busiest master
     * @param hottestBusy share of the wall time the busiest master's thread spent running them
     */
    record OnCluster(double perSecond, long hottestCalls, double hottestBusy) {

        /** Admissions per second the busiest master could take with its thread fully busy, at this spread. */
        double ceiling() {
            return perSecond / hottestBusy;
        }
    }

    /**
     * @param shards the stock shards of the product (one per slot; the cluster spreads the slots over its masters)
     */
    static OnCluster measureOnCluster(RedisCluster cluster, int shards, int operations, int inFlight) throws InterruptedException {
        RedisClusterClient client = RedisClusterClient.create(cluster.uris().stream().map(RedisURI::create).toList());
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            cluster.uris().forEach(uri -> onNode(uri, node -> node.configResetstat()));
            double perSecond = measure(connection.async(), shards, operations, inFlight);
            long hottestCalls = 0;
            long hottestMicros = 0;
            for (String uri : cluster.uris()) {
                CommandStats stats = CommandStats.parse(onNode(uri, node -> node.info("commandstats")));
                long micros = stats.micros().getOrDefault("evalsha", 0L);
                if (micros > hottestMicros) {
                    hottestCalls = stats.calls().getOrDefault("evalsha", 0L);
                    hottestMicros = micros;
                }
            }
            // nearly every EVALSHA is an admission of the timed loop (the preload before it is one per shard)
            return new OnCluster(perSecond, hottestCalls, hottestMicros / 1e6 / (operations / perSecond));
        } finally {
            client.shutdown();
        }
    }

    private static <T> T onNode(String uri, Function<RedisCommands<String, String>, T> call) {
        RedisClient node = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = node.connect()) {
            return call.apply(connection.sync());
        } finally {
            node.shutdown();
        }
    }

    private static double measure(RedisClusterAsyncCommands<String, String> redis, int shards, int operations, int inFlight)
            throws InterruptedException {
        try {
            SaleGate gate = new SaleGate(new ScriptRunner(redis), Duration.ofMinutes(10));
            String productId = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            Instant now = Instant.now();
            gate.preload(new ProductCard(productId, "bench", 100, 10_000_000, now.minusSeconds(60), now.plusSeconds(3600), 1,
                    shards), 10_000_000, now.plusSeconds(7200)).toCompletableFuture().join();
            // the buy function's default buckets, checked inside the script as buy does
            RateLimit perUser = new RateLimit("buy-user", 2, 10);
            RateLimit perIp = new RateLimit("buy-ip", 50, 200);
            Instant tokenExpiry = now.plusSeconds(600);

            Semaphore window = new Semaphore(inFlight);
            AtomicLong accepted = new AtomicLong();
            long started = System.nanoTime();
            for (int i = 0; i < operations; i++) {
                window.acquire();
                gate.admit(new PurchaseAttempt(RequestIds.newRequestId(productId), "u" + i, productId, 1, Integer.toString(i),
                                tokenExpiry, Shoppers.sourceIp(i), null), perUser, perIp)
                        .whenComplete((admission, failure) -> {
                            if (admission != null && admission.outcome() == Admission.Outcome.ACCEPTED) {
                                accepted.incrementAndGet();
                            }
                            window.release();
                        });
            }
            window.acquire(inFlight);
            double seconds = (System.nanoTime() - started) / 1e9;
            if (accepted.get() != operations) {
                throw new IllegalStateException("only " + accepted.get() + " of " + operations + " admissions accepted");
            }
            for (int k = 0; k < shards; k++) {
                RedisKeys keys = RedisKeys.shard(productId, k);
                redis.unlink(keys.meta(), keys.stock(), keys.buyers(), keys.outbox());
            }
            return operations / seconds;
        } catch (Exception e) {
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IllegalStateException(e);
        }
    }
}
