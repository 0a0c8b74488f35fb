package com.flashsale.local.lab.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CpuUseTest {

    @Test
    void threadsAreTold_apartByName() {
        assertThat(CpuUse.component("functions' JVM", "C2 CompilerThre")).isEqualTo("JIT, functions' JVM");
        assertThat(CpuUse.component("Kafka broker", "C1 CompilerThre")).isEqualTo("JIT, Kafka broker");
        assertThat(CpuUse.component("Kafka broker", "data-plane-kafk")).isEqualTo("Kafka broker");
        assertThat(CpuUse.component("functions' JVM", "lettuce-nioEven")).startsWith("Lettuce I/O");
        assertThat(CpuUse.component("functions' JVM", "gateway-worker")).startsWith("gateway workers");
        assertThat(CpuUse.component("functions' JVM", "main")).isEqualTo("other, functions' JVM");
    }

    @Test
    void aBusyThreadsTime_isCountedAsItsComponent_andAnEndedChildsToo() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc");
        Optional<CpuUse.Sample> before = CpuUse.sample();
        Thread buyer = new Thread(CpuUseTest::spinForHalfASecond, "bench-buy-0");
        buyer.start();
        buyer.join();
        // a child that burns CPU and is waited for: what a phase's wrk is by the time of the second sample
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off", "-XX:TieredStopAtLevel=1", "-version")).redirectErrorStream(true).start();
        child.getInputStream().readAllBytes();
        child.waitFor();
        CpuUse.Use use = CpuUse.since(before).orElseThrow();

        // the thread has ended: its time is the JVM's "ended threads" share, not lost
        assertThat(use.seconds().get("functions' JVM, ended threads")).isGreaterThanOrEqualTo(0.3);
        assertThat(use.seconds().get("wrk (ended children)")).isGreaterThan(0.0);
        assertThat(use.totalSeconds()).isGreaterThanOrEqualTo(0.3);
        assertThat(use.perUnit(1000)).matches("\\d+\\.\\d{3} ms on \\d+\\.\\d{2} cores");
    }

    @Test
    void aThreadThatEndsBetweenTheSamples_isChargedOnlyItsTimeBetweenThem() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc");
        java.util.concurrent.CountDownLatch sampled = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch spun = new java.util.concurrent.CountDownLatch(1);
        Thread worker = new Thread(() -> {
            spinForHalfASecond(); // before the first sample: not this window's
            spun.countDown();
            try {
                sampled.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            spinForHalfASecond();
        }, "gateway-worker");
        worker.start();
        spun.await();
        Optional<CpuUse.Sample> before = CpuUse.sample();
        sampled.countDown();
        worker.join();
        CpuUse.Use use = CpuUse.since(before).orElseThrow();

        assertThat(use.seconds().get("functions' JVM, ended threads")).isBetween(0.3, 0.8);
        assertThat(use.seconds()).doesNotContainKey("gateway workers");
        assertThat(use.totalSeconds()).isLessThan(0.9);
    }

    @Test
    void aLiveThreadsTime_isItsComponents() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc");
        Object done = new Object();
        Thread buyer = new Thread(() -> {
            spinForHalfASecond();
            synchronized (done) {
                try {
                    done.wait(); // alive at the second sample
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "bench-buy-1");
        Optional<CpuUse.Sample> before = CpuUse.sample();
        buyer.start();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> buyer.getState() == Thread.State.WAITING);
            CpuUse.Use use = CpuUse.since(before).orElseThrow();
            assertThat(use.seconds().get("buy invocations")).isGreaterThanOrEqualTo(0.3);
            assertThat(use.perUnitByComponent(1)).startsWith("buy invocations ");
            assertThat(use.microsPerUnit(1000).get("buy invocations")).isGreaterThanOrEqualTo(300);
        } finally {
            buyer.interrupt();
        }
    }

    private static void spinForHalfASecond() {
        long until = System.nanoTime() + 500_000_000L;
        long sink = 0;
        while (System.nanoTime() < until) {
            sink += sink * 31 + 7;
        }
        if (sink == 42) {
            System.out.println(sink);
        }
    }
}
