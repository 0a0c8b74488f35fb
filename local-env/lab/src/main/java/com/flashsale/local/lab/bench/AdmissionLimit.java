package com.flashsale.local.lab.bench;

import com.flashsale.shared.redis.Admission;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.PurchaseAttempt;
import com.flashsale.shared.redis.RateLimit;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.redis.RequestIds;
import com.flashsale.shared.redis.SaleGate;
import com.flashsale.shared.redis.ScriptRunner;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The physical limit of one product: the real admission script, by EVALSHA, as fast as one
 * pipelined connection can drive it against one product's keys (one hash slot, one Redis core).
 */
final class AdmissionLimit {

    private AdmissionLimit() {
    }

    /** @return admissions per second */
    static double measure(String redisUri, int operations, int inFlight) throws InterruptedException {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redis = connection.async();
            SaleGate gate = new SaleGate(new ScriptRunner(redis), Duration.ofMinutes(10));
            String productId = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            Instant now = Instant.now();
            gate.preload(new ProductCard(productId, "bench", 100, 10_000_000, now.minusSeconds(60), now.plusSeconds(3600), 1),
                    10_000_000, now.plusSeconds(7200)).toCompletableFuture().join();
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
            RedisKeys keys = RedisKeys.product(productId);
            redis.unlink(keys.meta(), keys.stock(), keys.buyers(), keys.outbox());
            return operations / seconds;
        } catch (Exception e) {
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IllegalStateException(e);
        } finally {
            client.shutdown();
        }
    }
}
