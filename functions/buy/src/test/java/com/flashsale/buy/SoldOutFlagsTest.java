package com.flashsale.buy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The container's sold-out flag: when it runs out, one request probes Redis, not the whole crowd. */
class SoldOutFlagsTest {

    private static final Duration HOLD = Duration.ofSeconds(2);

    private final SoldOutFlags flags = new SoldOutFlags(new SoldOutFlagConfiguration(HOLD));

    @Test
    void shouldLetExactlyOneOfAConcurrentCrowdProbe_whenTheFlagRunsOut() throws Exception {
        Duration hold = Duration.ofMillis(300);
        SoldOutFlags racing = new SoldOutFlags(new SoldOutFlagConfiguration(hold));
        // 8 threads ask without pause from before the flag runs out until half a hold after: they race its expiry
        CountDownLatch ready = new CountDownLatch(8);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService crowd = Executors.newFixedThreadPool(8);
        try {
            List<Callable<long[]>> tasks = new ArrayList<>();
            long[] until = new long[1];
            for (int t = 0; t < 8; t++) {
                tasks.add(() -> {
                    ready.countDown();
                    go.await();
                    long refused = 0;
                    long probes = 0;
                    while (System.nanoTime() - until[0] < 0) {
                        if (racing.isSoldOut("p1")) {
                            refused++;
                        } else {
                            probes++;
                        }
                    }
                    return new long[] {refused, probes};
                });
            }
            List<Future<long[]>> results = new ArrayList<>();
            tasks.forEach(task -> results.add(crowd.submit(task)));
            ready.await();
            racing.markSoldOut("p1");
            until[0] = System.nanoTime() + hold.toNanos() * 3 / 2;
            go.countDown();
            long refused = 0;
            long probes = 0;
            for (Future<long[]> result : results) {
                refused += result.get()[0];
                probes += result.get()[1];
            }
            assertThat(refused).as("the crowd asked while the flag stood").isPositive();
            assertThat(probes).as("callers let through to probe Redis when the flag ran out").isEqualTo(1);
        } finally {
            crowd.shutdownNow();
        }
    }

    @Test
    void shouldAnswerSoldOut_forTheFlaggedProductOnly() {
        flags.markSoldOut("p1");

        assertThat(flags.isSoldOut("p1")).isTrue();
        assertThat(flags.isSoldOut("p2")).as("another product").isFalse();
    }

    @Test
    void shouldLetTheCrowdThrough_whenAPurchaseWasAccepted() {
        flags.markSoldOut("p1");

        flags.markInStock("p1");

        assertThat(flags.isSoldOut("p1")).isFalse();
        assertThat(flags.isSoldOut("p1")).as("not a single probe: the flag is gone").isFalse();
    }
}
