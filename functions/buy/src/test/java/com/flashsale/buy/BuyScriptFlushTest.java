package com.flashsale.buy;

import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.redis.ProductCard;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/reliability.md row 3: Redis forgets its scripts (restart, failover, {@code SCRIPT FLUSH}) in the
 * middle of a crowd going through the real buy handler. Every call that meets NOSCRIPT is retried
 * once with the script itself: no buyer sees an error, and exactly the stock is sold.
 */
@MicronautTest
class BuyScriptFlushTest extends BuyTest {

    private static final int BUYERS = 1_000;
    private static final int UNITS = 100;
    private static final Pattern NOSCRIPT_ERRORS = Pattern.compile("errorstat_NOSCRIPT:count=(\\d+)");

    BuyScriptFlushTest(RealServers realServers) {
        super(realServers);
    }

    @Test
    void shouldAnswerEveryBuyerWithoutAnError_whenTheScriptCacheIsFlushedMidLoad() throws Exception {
        RedisClient client = RedisClient.create(realServers.redisUri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            ProductCard product = servers.productOnSale(UNITS, 1);
            long noScriptBefore = noScriptErrors(redis);
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger flushes = new AtomicInteger();
            Thread flusher = new Thread(() -> {
                while (!done.get()) {
                    redis.scriptFlush();
                    flushes.incrementAndGet();
                    LockSupport.parkNanos(2_000_000); // a fault every 2 ms, not a wait for anything
                }
            }, "script-flusher");

            List<String> tokens = fixture.crowdTokens(product.productId(), BUYERS);
            List<Reply> replies;
            flusher.start();
            try {
                replies = fixture.crowd(product.productId(), tokens, 32);
            } finally {
                done.set(true);
                flusher.join();
            }

            System.out.printf("%d SCRIPT FLUSHes, %d NOSCRIPT answers%n", flushes.get(),
                    noScriptErrors(redis) - noScriptBefore);
            assertThat(flushes.get()).isGreaterThan(10);
            assertThat(noScriptErrors(redis) - noScriptBefore).as("NOSCRIPT answers met by the handlers").isPositive();
            BuyLoadTest.assertSoldExactly(realServers, fixture, product.productId(), replies, UNITS);
        } finally {
            client.shutdown();
        }
    }

    private static long noScriptErrors(RedisCommands<String, String> redis) {
        Matcher count = NOSCRIPT_ERRORS.matcher(redis.info("errorstats"));
        return count.find() ? Long.parseLong(count.group(1)) : 0;
    }
}
