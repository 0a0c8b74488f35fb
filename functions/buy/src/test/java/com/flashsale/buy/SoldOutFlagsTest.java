package com.flashsale.buy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The container's sold-out flag: when it runs out, one request probes Redis, not the whole crowd. */
class SoldOutFlagsTest {

    private static final Duration HOLD = Duration.ofSeconds(2);

    private final SoldOutFlags flags = new SoldOutFlags(new SoldOutFlagConfiguration(HOLD));

    @Test
    void shouldLetExactlyOneOfAConcurrentCrowdProbe_whenTheFlagRunsOut() throws Exception {
        flags.markSoldOut("p1");
        assertThat(flags.isSoldOut("p1")).isTrue();
        assertThat(flags.isSoldOut("p2")).as("another product").isFalse();

        await().atMost(HOLD.multipliedBy(3)).until(() -> !flags.isSoldOut("p1"));

        // the flag was extended by the probe above: 8 threads x 1,000 requests, all refused
        ExecutorService crowd = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                tasks.add(() -> {
                    int probes = 0;
                    for (int i = 0; i < 1_000; i++) {
                        probes += flags.isSoldOut("p1") ? 0 : 1;
                    }
                    return probes;
                });
            }
            int probes = 0;
            for (Future<Integer> result : crowd.invokeAll(tasks)) {
                probes += result.get();
            }
            assertThat(probes).isZero();
        } finally {
            crowd.shutdownNow();
        }
    }

    @Test
    void shouldLetTheCrowdThrough_whenAPurchaseWasAccepted() {
        flags.markSoldOut("p1");

        flags.markInStock("p1");

        assertThat(flags.isSoldOut("p1")).isFalse();
        assertThat(flags.isSoldOut("p1")).as("not a single probe: the flag is gone").isFalse();
    }
}
