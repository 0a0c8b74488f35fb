package com.flashsale.local.lab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Section 3: requests through the local HTTP gateway, the load from a separate process (wrk), on the
 * same cores as the stack: buys of shoppers who already hold a purchase token ({@code buy.lua}), or
 * the client's whole path, a token request then the buy with that token ({@code token-then-buy.lua}).
 */
final class GatewayLoad {

    /**
     * What wrk counted: requests/s, latency percentiles in ms of one request, answers by kind (tokens
     * issued in the whole path; 0 otherwise), socket errors.
     */
    record Result(double perSecond, double acceptedPerSecond, double p50, double p99, double p999,
                  long requests, long tokens, long accepted, long refused, long other, long socketErrors) {

        double tokensPerSecond() {
            return requests == 0 ? 0 : perSecond * tokens / requests;
        }

        /** Errors, and in a sold-out phase any purchase accepted or token issued. */
        long errors(boolean soldOutPhase) {
            return socketErrors + other + (soldOutPhase ? accepted + tokens : 0);
        }
    }

    /** What both scripts load first: the threads, the answers counted, the summary line. */
    static final String COMMON_SCRIPT = "wrk-common.lua";

    private final String baseUrl;
    private final Path directory;
    private final HttpClient http = HttpClient.newHttpClient();

    GatewayLoad(String baseUrl, Path directory) {
        this.baseUrl = baseUrl;
        this.directory = directory;
    }

    static boolean wrkInstalled() {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, "wrk")));
    }

    /** Access tokens of users {@code <prefix>0..count-1} from the gateway's {@code POST /local/login}. */
    List<String> accessTokens(String userPrefix, int count) throws InterruptedException {
        String[] tokens = new String[count];
        Semaphore inFlight = new Semaphore(16);
        AtomicInteger done = new AtomicInteger();
        List<CompletableFuture<?>> calls = new ArrayList<>(count);
        try (Ticker ignored = new Ticker(() -> done.get() + "/" + count + " logins")) {
            for (int i = 0; i < count; i++) {
                int user = i;
                inFlight.acquire();
                calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(baseUrl + "/local/login"))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"" + userPrefix + i + "\",\"admin\":false}"))
                                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString())
                        .whenComplete((response, failure) -> {
                            inFlight.release();
                            done.incrementAndGet();
                            if (response != null && response.statusCode() == 200) {
                                tokens[user] = Shoppers.read(response.body()).path("accessToken").asText();
                            }
                        }));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        }
        for (int i = 0; i < count; i++) {
            if (tokens[i] == null) {
                throw new IllegalStateException("login of " + userPrefix + i + " failed");
            }
        }
        return List.of(tokens);
    }

    /** The lines {@code buy.lua} reads: access token, client address, body. */
    static String lines(List<String> accessTokens, List<Shoppers.Buy> buys) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < buys.size(); i++) {
            Shoppers.Buy buy = buys.get(i);
            lines.append(accessTokens.get(i)).append('\t').append(buy.sourceIp()).append('\t').append(buy.body()).append('\n');
        }
        return lines.toString();
    }

    /** The lines {@code token-then-buy.lua} reads: user, access token, client address, product. */
    static String wholePathLines(List<String> accessTokens, String userPrefix, String productId) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < accessTokens.size(); i++) {
            lines.append(userPrefix).append(i).append('\t').append(accessTokens.get(i)).append('\t')
                    .append(Shoppers.sourceIp(i)).append('\t').append(productId).append('\n');
        }
        return lines.toString();
    }

    /** Buys of shoppers who hold a purchase token each. */
    Result run(String phase, List<String> accessTokens, List<Shoppers.Buy> buys, int threads, int connections, int seconds)
            throws IOException, InterruptedException {
        return run(phase, "buy.lua", lines(accessTokens, buys), threads, connections, seconds);
    }

    /** The whole path of users {@code <userPrefix>0..}: each asks for a token for the product, then buys with it. */
    Result runWholePath(String phase, List<String> accessTokens, String userPrefix, String productId, int threads,
                        int connections, int seconds) throws IOException, InterruptedException {
        return run(phase, "token-then-buy.lua", wholePathLines(accessTokens, userPrefix, productId), threads, connections,
                seconds);
    }

    private Result run(String phase, String scriptName, String linesText, int threads, int connections, int seconds)
            throws IOException, InterruptedException {
        Path common = resource(COMMON_SCRIPT);
        Path script = resource(scriptName);
        Path lines = directory.resolve(phase + ".lines");
        Files.writeString(lines, linesText);
        ProcessBuilder wrk = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--timeout", "5s", "-s", script.toString(), baseUrl).redirectErrorStream(true);
        wrk.environment().put("BENCH_COMMON", common.toString());
        wrk.environment().put("BENCH_LINES", lines.toString());
        wrk.environment().put("BENCH_THREADS", Integer.toString(threads));
        Process process = wrk.start();
        long started = System.nanoTime();
        String summary = null;
        StringBuilder output = new StringBuilder();
        try (Ticker ignored = new Ticker(() -> String.format("wrk %s: %.0f of %d s", phase, (System.nanoTime() - started) / 1e9, seconds));
             BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                output.append(line).append('\n');
                if (line.startsWith("BENCH ")) {
                    summary = line;
                }
            }
        }
        if (process.waitFor() != 0 || summary == null) {
            throw new IllegalStateException("wrk failed:\n" + output);
        }
        Files.delete(lines); // tokens of thousands of shoppers: not worth keeping, and large
        return result(summary);
    }

    /** A script of this package, written into the work directory for wrk. */
    private Path resource(String name) throws IOException {
        Path file = directory.resolve(name);
        try (InputStream lua = GatewayLoad.class.getResourceAsStream(name)) {
            Files.write(file, lua.readAllBytes());
        }
        return file;
    }

    static Result result(String benchLine) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String pair : benchLine.substring("BENCH ".length()).trim().split(" ")) {
            String[] kv = pair.split("=", 2);
            values.put(kv[0], Long.parseLong(kv[1]));
        }
        double seconds = values.get("duration_us") / 1e6;
        return new Result(values.get("requests") / seconds, values.get("accepted") / seconds,
                values.get("p50_us") / 1e3, values.get("p99_us") / 1e3, values.get("p999_us") / 1e3,
                values.get("requests"), values.getOrDefault("tokens", 0L), values.get("accepted"), values.get("refused"),
                values.get("other"),
                values.get("socket_errors") + values.get("timeouts"));
    }
}
