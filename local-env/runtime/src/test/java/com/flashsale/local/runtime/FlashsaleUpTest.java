package com.flashsale.local.runtime;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code flashsale up} as a user runs it: each function primed before it serves (SnapStart's checkpoint,
 * timed in the status table), the Kafka broker and the gateway warmed, READY within 90 s, healthy, and SIGTERM leaves nothing behind.
 */
class FlashsaleUpTest {

    @Test
    void shouldPrimeEachFunction_printReady_serveHealth_andLeaveNoProcessBehind_onSigterm() throws Exception {
        Process up = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Up.class.getName(),
                "--port", "0", "--root", Path.of("../..").toAbsolutePath().normalize().toString())
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
            List<String> before = new java.util.ArrayList<>();
            String url = CompletableFuture.supplyAsync(() -> readyUrl(output, before)).get(90, TimeUnit.SECONDS);

            assertThat(before).as("the status table").anySatisfy(line -> assertThat(line)
                    .contains("cold starts + checkpoint (priming)").containsPattern("token [0-9.]+ s \\+ [0-9.]+ s"));
            assertThat(before).as("the stand-ins' warm-up").anySatisfy(line -> assertThat(line).contains("stand-ins")
                    .contains("20,000 of 20,000 records back from the Kafka broker", "5,000 of 5,000 refused 400 through the gateway"));

            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/local/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"UP\"");
            List<ProcessHandle> servers = up.descendants().toList();
            assertThat(servers).as("redis-server, postgres and the Kafka JVM").hasSizeGreaterThanOrEqualTo(3);

            up.destroy();

            assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> servers.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            up.descendants().forEach(ProcessHandle::destroyForcibly);
            up.destroyForcibly();
        }
    }

    private static String readyUrl(BufferedReader output, List<String> before) {
        try {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                before.add(line);
                if (line.startsWith("READY ")) {
                    String url = line.substring(6).trim();
                    // keep draining so that the child never blocks on a full pipe
                    Thread drain = new Thread(() -> output.lines().forEach(l -> { }));
                    drain.setDaemon(true);
                    drain.start();
                    return url;
                }
            }
            throw new IllegalStateException("flashsale up exited before READY");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
