package com.flashsale.local.lab.bench;

import com.flashsale.local.lab.LabSql;
import com.flashsale.local.lab.Deadline;
import com.flashsale.local.runtime.LocalEnvironment;
import com.flashsale.local.runtime.gateway.ApiGatewayEvents;
import com.flashsale.local.runtime.lambda.LocalFunction;
import com.flashsale.local.runtime.trigger.Batch;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.redis.RequestIds;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * {@code ./flashsale bench}: the figures of issue 8 in one run on this machine, each against its
 * physical limit, printed as a table and written as an HTML report with charts. The environment
 * variable {@code BENCH_ONLY} (e.g. {@code 2,3}) runs only those sections, for profiling one of them.
 */
public final class Bench {

    /** How big each section is: {@link #QUICK} keeps CI under two minutes, {@link #FULL} is the recorded run. */
    public record Sizes(int admissions, int buyWarmUp, int buys, int gatewayUsers, int inStockSeconds, int soldOutSeconds,
                        int consumerBatches100, int consumerBatches500, List<String> coldStarts, int coldStartRequests,
                        int reconciliationRequests, List<Integer> saleUsers, List<Integer> reconciliationOrders,
                        int shardCrowd, int firstInvocations, List<String> firstInvocationFunctions) {

        private static final List<String> EVERY_FUNCTION = List.of("trivial", "admin", "token", "buy", "result",
                "order-consumer", "reconciliation");

        public static final Sizes QUICK = new Sizes(10_000, 200, 600, 10_000, 2, 2, 5, 2, List.of("trivial", "buy"), 50, 3,
                List.of(200), List.of(10_000), 500, 200, List.of("buy"));
        public static final Sizes FULL = new Sizes(100_000, 5_000, 30_000, 15_000, 2, 10, 100, 40, EVERY_FUNCTION, 10_000, 100,
                List.of(1_000, 10_000, 100_000), List.of(10_000, 100_000, 1_000_000), 10_000, 2_000,
                List.of("token", "buy", "result"));

        /** The same sizes with other crowds and order counts for section 6 (null or empty: unchanged). */
        public Sizes growth(List<Integer> users, List<Integer> orders) {
            return new Sizes(admissions, buyWarmUp, buys, gatewayUsers, inStockSeconds, soldOutSeconds, consumerBatches100,
                    consumerBatches500, coldStarts, coldStartRequests, reconciliationRequests,
                    users == null || users.isEmpty() ? saleUsers : List.copyOf(users),
                    orders == null || orders.isEmpty() ? reconciliationOrders : List.copyOf(orders), shardCrowd,
                    firstInvocations, firstInvocationFunctions);
        }
    }

    /**
     * Concurrent invocations of section 2, each standing for one warm Lambda container (one request
     * at a time). By Little's law the aim, about 11,000 buys/s at a few ms each (Redis, then Kafka's
     * acknowledgement), keeps some 50-60 containers busy at once; 64 is that crowd, and the same
     * number as wrk's connections in section 3. With 16 the section measured how long one buy
     * waits, not how many the function serves.
     */
    private static final int BUY_THREADS = 64;
    private static final int WRK_THREADS = 2;
    private static final int WRK_CONNECTIONS = 64;
    /** The trivial function's handler: Micronaut's API Gateway adapter, the floor of every route that goes through it. */
    private static final String TRIVIAL_HANDLER = "io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction";

    private final Path root;
    private final Sizes sizes;
    private final boolean redisCluster;
    private Set<String> only = parseOnly(System.getenv("BENCH_ONLY"));
    private boolean prime = true;
    private final BenchTable table = new BenchTable();
    private final Map<String, Map<String, Long>> charts = new LinkedHashMap<>();
    private Optional<Path> report = Optional.empty();
    private int printedRows;

    public Bench(Path root, Sizes sizes) {
        this(root, sizes, false);
    }

    /** @param redisCluster whether the functions run on the Redis Cluster ({@code --redis-cluster}) */
    public Bench(Path root, Sizes sizes, boolean redisCluster) {
        this.root = root;
        this.sizes = sizes;
        this.redisCluster = redisCluster;
    }

    /** Whether the stack's functions are primed at load, as SnapStart's checkpoint does (by default they are). */
    public Bench prime(boolean prime) {
        this.prime = prime;
        return this;
    }

    /** Only these sections (e.g. "8"), as {@code BENCH_ONLY} says. */
    public Bench only(String sections) {
        this.only = parseOnly(sections);
        return this;
    }

    /** Runs every section, prints the table, writes the report when asked; figures are never judged here. */
    public String run(Optional<Path> report) throws Exception {
        this.report = report;
        Path work = Files.createTempDirectory("flashsale-bench");
        Path log = work.resolve("functions.log");
        Ticker.say("the functions' log lines go to " + log);
        PrintStream terminal = System.out;
        Ticker.say("starting Redis, Kafka and PostgreSQL ...");
        try (PrintStream functionLog = new PrintStream(Files.newOutputStream(log), false, StandardCharsets.UTF_8);
             RealServers servers = RealServers.start()) {
            // the functions log to standard output, as in Lambda: here into a file, not over the progress lines
            System.setOut(functionLog);
            Ticker.say("starting every function from its Lambda artifact under " + root + " ...");
            LocalEnvironment environment = LocalEnvironment.start(
                    new LocalEnvironment.Options(root, 0, Duration.ofHours(1), 100, 64, Map.of(), redisCluster, prime), servers);
            environment.standIns().ifPresent(warmUp -> Ticker.say("stand-ins warmed: " + warmUp));
            try {
                run(environment, servers, work);
            } finally {
                environment.close();
                System.setOut(terminal);
            }
        }
        String text = table.text();
        System.out.println();
        System.out.print(text);
        if (report.isPresent()) {
            Path markdown = report.get().resolveSibling(report.get().getFileName().toString().replaceFirst("\\.html?$", "") + "-table.md");
            System.out.println("\nreport: " + report.get().toAbsolutePath() + " (table as Markdown: " + markdown.getFileName() + ")");
        }
        return text;
    }

    private void run(LocalEnvironment environment, RealServers servers, Path work) throws Exception {
        Shoppers shoppers = new Shoppers(environment);
        Map<String, Long> throughput = new LinkedHashMap<>();
        charts.put("Throughput (per second)", throughput);

        double limit = Double.NaN;
        if (runs(1)) {
            Ticker.say("1/6 the limit: admission script by EVALSHA, pipelined, " + sizes.admissions() + " admissions");
            limit = AdmissionLimit.measure(servers.redisUri(), sizes.admissions(), 256);
            table.add("1 limit", "admission script (EVALSHA, pipelined)", BenchTable.perSecond(limit), "");
            throughput.put("1 admission script", Math.round(limit));
            for (int shards : List.of(1, 8)) {
                AdmissionLimit.OnCluster sharded = AdmissionLimit.measureOnCluster(servers.redisCluster(), shards,
                        sizes.admissions(), 256);
                String over = "cluster, stock over " + shards + " shard(s)";
                table.add("1 limit", "admission, " + over, BenchTable.perSecond(sharded.perSecond()), "");
                table.add("1 limit", "admission, " + over + ": busiest master's EVALSHA calls, thread busy",
                        String.format(Locale.ROOT, "%,d, %.0f %%", sharded.hottestCalls(), 100 * sharded.hottestBusy()), "");
                table.add("1 limit", "admission, " + over + ": ceiling at that master (rate / busy)",
                        BenchTable.perSecond(sharded.ceiling()), "");
                throughput.put("1 admission, " + over, Math.round(sharded.perSecond()));
            }
            sectionDone();
        }
        if (runs(2)) {
            inProcess(environment.function("buy"), shoppers, limit, throughput);
            sectionDone();
        }
        if (runs(3)) {
            gateway(environment, servers, shoppers, work, throughput);
            sectionDone();
        }
        if (runs(4)) {
            orderConsumer(environment, servers, throughput);
            sectionDone();
        }
        if (runs(5)) {
            coldStarts(environment, servers, work);
            sectionDone();
        }
        if (runs(6)) {
            growth(environment, servers);
            sectionDone();
        }
        if (runs(7)) {
            shardCommands(environment, servers, shoppers);
            sectionDone();
        }
        if (runs(8)) {
            firstInvocations(environment, shoppers, work);
            sectionDone();
        }
    }

    /**
     * Section 8 (issue 18): per API function, the first invocations of a fresh container, cold and
     * primed, against the same container's warm ones; the aim is primed p99 at most twice the warm p99.
     */
    private void firstInvocations(LocalEnvironment environment, Shoppers shoppers, Path work) throws Exception {
        int first = sizes.firstInvocations();
        int warmUp = 4 * first;
        int perRun = 2 * first + warmUp;
        Ticker.say("8 first " + String.format("%,d", first) + " invocations of a fresh container, cold and primed, then "
                + String.format("%,d", warmUp) + " more and " + String.format("%,d", first) + " warm; one JVM each ("
                + String.join(" ", ColdStart.JVM_FLAGS) + ")");
        Properties properties = new Properties();
        properties.putAll(environment.settings());
        String product = shoppers.openSale("bench first invocations", 2 * perRun + 10, Duration.ofSeconds(1));
        Map<String, Long> chart = new LinkedHashMap<>();
        charts.put("First invocations of a fresh container: p99 (µs)", chart);
        for (String name : sizes.firstInvocationFunctions()) {
            Map<Boolean, FirstInvocations.Run> runs = new LinkedHashMap<>();
            for (boolean primed : new boolean[] {false, true}) {
                String mode = primed ? "primed" : "cold";
                int offset = primed ? perRun : 0;
                List<String> events = firstInvocationEvents(name, shoppers, product, "first-" + mode + "-", offset, perRun);
                FirstInvocations.Run run = FirstInvocations.measure(name, environment.manifest().artifact(name),
                        environment.manifest().function(name).handler(), events, first, warmUp, primed, properties, work);
                Ticker.say("  " + name + " " + mode + ": answers " + run.statuses());
                runs.put(primed, run);
                table.add("8 first invocations", String.format("%s %s%s: first %,d, p50 / p99 / max", name, mode,
                                primed ? " (priming " + run.primeMillis() + " ms)" : "", first),
                        micros(run.firstP50()) + " / " + micros(run.firstP99()) + " / " + micros(run.firstMax()), "");
                chart.put(name + " " + mode, run.firstP99());
            }
            FirstInvocations.Run cold = runs.get(false);
            FirstInvocations.Run primed = runs.get(true);
            table.add("8 first invocations", String.format("%s warm (after %,d more): p50 / p99, cold JVM | primed JVM", name,
                            warmUp), micros(cold.warmP50()) + " / " + micros(cold.warmP99()) + " | "
                            + micros(primed.warmP50()) + " / " + micros(primed.warmP99()), "");
            table.add("8 first invocations", name + " first p99 / warm p99 (same JVM): cold | primed",
                    String.format("%.1f | %.1f", (double) cold.firstP99() / cold.warmP99(),
                            (double) primed.firstP99() / primed.warmP99()), "primed <= 2");
            chart.put(name + " warm", primed.warmP99());
        }
    }

    /** {@code count} events of a function's hot path, each of another user and address (their limits are not measured). */
    private static List<String> firstInvocationEvents(String function, Shoppers shoppers, String product, String userPrefix,
                                                      int offset, int count) {
        if (function.equals("buy")) {
            return buyEvents(shoppers.buys(product, userPrefix, offset, count));
        }
        List<String> events = new ArrayList<>(count);
        for (int i = offset; i < offset + count; i++) {
            events.add(function.equals("token")
                    ? ApiGatewayEvents.http("POST", "/api/flash-sale/token", "/api/flash-sale/token", "", Map.of(), Map.of(),
                            Map.of("content-type", "application/json"), "{\"productId\":\"" + product + "\"}",
                            Shoppers.sourceIp(i), Optional.of(Map.of("sub", userPrefix + i, "scope", "openid")))
                    : ApiGatewayEvents.http("GET", "/api/products/{productId}", "/api/products/" + product, "", Map.of(),
                            Map.of("productId", product), Map.of(), null, Shoppers.sourceIp(i), Optional.empty()));
        }
        return events;
    }

    private static String micros(long micros) {
        return BenchTable.millis(micros / 1000.0);
    }

    /** Section 7: what a crowd request costs the product's shard, the one resource that cannot scale out. */
    private void shardCommands(LocalEnvironment environment, RealServers servers, Shoppers shoppers) throws Exception {
        ShardCommands shard = new ShardCommands(environment, servers, shoppers);
        Ticker.say("7 Redis commands on the product's shard per crowd request (" + shard.where() + "), crowds of "
                + sizes.shardCrowd());
        Map<String, Long> chart = new LinkedHashMap<>();
        charts.put("Redis commands on the product's shard per 1,000 crowd requests", chart);
        double afterSellOut = 0;
        for (ShardCommands.Phase phase : shard.measure(sizes.shardCrowd())) {
            table.add("7 shard commands", phase.name() + ": commands per request (" + phase.commands() + " for "
                    + String.format("%,d", phase.requests()) + ")", String.format("%.4f", phase.perRequest()), "");
            Ticker.say("  " + phase.name() + ": " + phase.byCommand());
            chart.put(phase.name(), Math.round(phase.perRequest() * 1000));
            if (phase.name().contains("after sell-out")) {
                afterSellOut += phase.perRequest();
            }
        }
        table.add("7 shard commands", "token + buy after sell-out, per request pair", String.format("%.4f", afterSellOut), "< 0.05");
        table.add("7 shard commands", "counted on", shard.where(), "");
    }

    private boolean runs(int section) {
        return only.isEmpty() || only.contains(Integer.toString(section));
    }

    private static Set<String> parseOnly(String sections) {
        return sections == null || sections.isBlank() ? Set.of() : Set.of(sections.trim().split("\\s*,\\s*"));
    }

    private void inProcess(LocalFunction buy, Shoppers shoppers, double limit, Map<String, Long> throughput)
            throws InterruptedException {
        Ticker.say("2/6 buy function in-process, " + BUY_THREADS + " threads, " + sizes.buys() + " buys");
        String product = shoppers.openSale("bench in-process", 10_000_000, Duration.ofSeconds(1));
        InProcessBuy.run(buy, buyEvents(shoppers.buys(product, "warm", 0, sizes.buyWarmUp())), BUY_THREADS);
        List<String> events = buyEvents(shoppers.buys(product, "inproc", 0, sizes.buys()));
        Optional<CpuUse.Sample> before = CpuUse.sample();
        InProcessBuy.Result inProcess = InProcessBuy.run(buy, events, BUY_THREADS);
        Optional<CpuUse.Use> cpu = CpuUse.since(before);
        table.add("2 buy in-process", "invocations/s", BenchTable.perSecond(inProcess.perSecond()), "");
        table.add("2 buy in-process", "p50 / p99", BenchTable.millis(inProcess.p50()) + " / " + BenchTable.millis(inProcess.p99()), "");
        table.add("2 buy in-process", "not 202", Long.toString(inProcess.notAccepted()), "0");
        cpuRows("2 buy in-process", cpu, events.size() - inProcess.notAccepted());
        if (!Double.isNaN(limit)) {
            table.add("2 buy in-process", "ratio to (1)", String.format("%.2f", inProcess.perSecond() / limit), ">= 0.5");
        }
        throughput.put("2 buy in-process", Math.round(inProcess.perSecond()));
    }

    private void gateway(LocalEnvironment environment, RealServers servers, Shoppers shoppers, Path work,
                         Map<String, Long> throughput) throws Exception {
        if (!GatewayLoad.wrkInstalled()) {
            Ticker.say("3/6 skipped: wrk is not installed (apt-get install wrk)");
            table.add("3 gateway", "skipped: wrk not installed", "-", "");
            return;
        }
        Ticker.say("3/6 through the HTTP gateway, wrk -t" + WRK_THREADS + " -c" + WRK_CONNECTIONS + "; logging in "
                + sizes.gatewayUsers() + " users ...");
        GatewayLoad load = new GatewayLoad(environment.baseUrl(), work);
        List<String> accessTokens = load.accessTokens("web", sizes.gatewayUsers());
        String fresh = shoppers.openSale("bench in stock, fresh", sizes.gatewayUsers(), Duration.ofSeconds(1));
        String warmUp = shoppers.openSale("bench warm-up", sizes.gatewayUsers(), Duration.ofSeconds(1));
        String inStock = shoppers.openSale("bench in stock", sizes.gatewayUsers(), Duration.ofSeconds(1));
        String soldOut = shoppers.openSale("bench sold out", 1, Duration.ofSeconds(1));
        String wholePath = shoppers.openSale("bench whole path", sizes.gatewayUsers(), Duration.ofSeconds(1));
        String freshContainer = shoppers.openSale("bench in stock, fresh container", sizes.gatewayUsers(), Duration.ofSeconds(1));
        List<Shoppers.Buy> inStockBuys = shoppers.buys(inStock, "web", 0, sizes.gatewayUsers());
        List<Shoppers.Buy> soldOutBuys = shoppers.buys(soldOut, "web", 0, sizes.gatewayUsers());
        // the last unit goes before the phase, so that the warm container has seen "sold out"
        for (Shoppers.Buy first : shoppers.buys(soldOut, "early", 0, 2)) {
            environment.function("buy").invoke(Shoppers.buyEvent(first));
        }

        // first load of the stack: the containers are as fresh as section 3 finds them (primed at load; fresh
        // only when the sections before did not run, e.g. BENCH_ONLY=3)
        Ticker.say("  in-stock phase on the fresh stack, " + sizes.inStockSeconds() + " s, no warm-up");
        Optional<CpuUse.Sample> beforeFresh = CpuUse.sample();
        GatewayLoad.Result buyingFresh = load.run("in-stock-fresh", accessTokens, shoppers.buys(fresh, "web", 0,
                sizes.gatewayUsers()), WRK_THREADS, WRK_CONNECTIONS, sizes.inStockSeconds());
        Optional<CpuUse.Use> cpuFresh = CpuUse.since(beforeFresh);
        awaitOrders(environment, fresh, buyingFresh.accepted());
        Ticker.say("  sold-out phase on the young stack, " + sizes.soldOutSeconds() + " s after " + earlySeconds()
                + " s of load");
        load.run("sold-out-early-warm-up", accessTokens, soldOutBuys, WRK_THREADS, WRK_CONNECTIONS, earlySeconds());
        GatewayLoad.Result refusingEarly = load.run("sold-out-early", accessTokens, soldOutBuys, WRK_THREADS, WRK_CONNECTIONS,
                sizes.soldOutSeconds());
        Ticker.say("  warm-up, " + warmUpSeconds() + " s of buys of another product");
        GatewayLoad.Result warmUpBuys = load.run("in-stock-warm-up", accessTokens, shoppers.buys(warmUp, "web", 0,
                sizes.gatewayUsers()), WRK_THREADS, WRK_CONNECTIONS, warmUpSeconds());
        // the in-stock phase's accept-to-order time must not include the warm-up's backlog of orders
        awaitOrders(environment, warmUp, warmUpBuys.accepted());
        Ticker.say("  in-stock phase, " + sizes.inStockSeconds() + " s");
        Optional<CpuUse.Sample> beforeBuying = CpuUse.sample();
        GatewayLoad.Result buying = load.run("in-stock", accessTokens, inStockBuys, WRK_THREADS, WRK_CONNECTIONS,
                sizes.inStockSeconds());
        Optional<CpuUse.Use> cpuBuying = CpuUse.since(beforeBuying);
        Ticker.say("  sold-out phase, " + sizes.soldOutSeconds() + " s after a warm-up of " + warmUpSeconds() + " s");
        GatewayLoad.Result refusing = warmThenMeasure(load, "sold-out", accessTokens, soldOutBuys);
        Ticker.say("  yardstick: the trivial function on the buy route, the same way");
        LocalFunction trivial = LocalFunction.load("trivial", trivialJar(), TRIVIAL_HANDLER);
        LocalFunction buy = environment.hooks().standIn("buy", trivial);
        GatewayLoad.Result yardstick;
        try {
            yardstick = warmThenMeasure(load, "trivial", accessTokens, soldOutBuys);
        } finally {
            environment.hooks().standIn("buy", buy);
            trivial.close();
        }
        // the crowd's first request once the product sold out: the token route answers it from the product card
        Ticker.say("  token requests after sell-out, " + sizes.soldOutSeconds() + " s after a warm-up of " + warmUpSeconds() + " s");
        load.runWholePath("token-sold-out-warm-up", accessTokens, "web", soldOut, WRK_THREADS, WRK_CONNECTIONS, warmUpSeconds());
        GatewayLoad.Result tokensRefused = load.runWholePath("token-sold-out", accessTokens, "web", soldOut, WRK_THREADS,
                WRK_CONNECTIONS, sizes.soldOutSeconds());
        // fresh containers on a warm stack, as on launch night: Redis, Kafka and PostgreSQL are long-running
        // servers, the functions' containers are new (restored from their primed snapshot)
        Ticker.say("  the client's whole path on new token and buy containers: a token, then the buy, "
                + sizes.inStockSeconds() + " s");
        environment.hooks().replaceContainer("token");
        environment.hooks().replaceContainer("buy");
        GatewayLoad.Result wholePathFresh = load.runWholePath("whole-path-fresh", accessTokens, "web", wholePath,
                WRK_THREADS, WRK_CONNECTIONS, sizes.inStockSeconds());
        awaitOrders(environment, wholePath, wholePathFresh.accepted());
        Ticker.say("  in-stock phase on a new buy container, " + sizes.inStockSeconds() + " s");
        environment.hooks().replaceContainer("buy");
        GatewayLoad.Result buyingFreshContainer = load.run("in-stock-fresh-container", accessTokens,
                shoppers.buys(freshContainer, "web", 0, sizes.gatewayUsers()), WRK_THREADS, WRK_CONNECTIONS, sizes.inStockSeconds());
        awaitOrders(environment, freshContainer, buyingFreshContainer.accepted());

        gatewayRows("3 gateway in stock, fresh stack", buyingFresh, false, ">= 6,000 buys/s, p99 <= 30 ms");
        cpuRows("3 gateway in stock, fresh stack", cpuFresh, buyingFresh.accepted());
        gatewayRows("3 gateway in stock, new buy container", buyingFreshContainer, false, ">= 6,000 buys/s, p99 <= 30 ms");
        table.add("3 gateway whole path, new containers", "buys accepted/s (tokens/s, requests/s)",
                BenchTable.perSecond(wholePathFresh.acceptedPerSecond()) + " (" + BenchTable.perSecond(wholePathFresh.tokensPerSecond())
                        + ", " + BenchTable.perSecond(wholePathFresh.perSecond()) + ")", "");
        table.add("3 gateway whole path, new containers", "p50 / p99 / p99.9 of one request (token or buy)",
                BenchTable.millis(wholePathFresh.p50()) + " / " + BenchTable.millis(wholePathFresh.p99()) + " / "
                        + BenchTable.millis(wholePathFresh.p999()), "");
        table.add("3 gateway whole path, new containers", "errors (of requests)", wholePathFresh.errors(false) + " of "
                + wholePathFresh.requests(), "0");
        gatewayRows("3 gateway in stock", buying, false, ">= 5,000 buys/s");
        cpuRows("3 gateway in stock", cpuBuying, buying.accepted());
        gatewayRows("3 gateway sold out after " + earlySeconds() + " s", refusingEarly, true, ">= 20,000/s, p99 <= 6 ms");
        gatewayRows("3 gateway sold out", refusing, true, ">= 15,000/s, p99 <= 15 ms, 0 errors");
        gatewayRows("3 gateway yardstick", yardstick, true, "trivial function answering 409, same gateway and load");
        table.add("3 gateway sold out", "ratio to the yardstick", String.format("%.2f", refusing.perSecond() / yardstick.perSecond()), "");
        gatewayRows("3 gateway token requests, sold out", tokensRefused, true, "answered 409 from the product card");
        throughput.put("3 gateway buys (in stock, fresh stack)", Math.round(buyingFresh.acceptedPerSecond()));
        throughput.put("3 gateway buys (in stock, new buy container)", Math.round(buyingFreshContainer.acceptedPerSecond()));
        throughput.put("3 gateway buys (whole path, new containers)", Math.round(wholePathFresh.acceptedPerSecond()));
        throughput.put("3 gateway buys (in stock)", Math.round(buying.acceptedPerSecond()));
        throughput.put("3 gateway refusals (sold out, after " + earlySeconds() + " s)", Math.round(refusingEarly.perSecond()));
        throughput.put("3 gateway refusals (sold out)", Math.round(refusing.perSecond()));
        throughput.put("3 gateway yardstick (trivial 409)", Math.round(yardstick.perSecond()));
        throughput.put("3 gateway token refusals (sold out)", Math.round(tokensRefused.perSecond()));

        awaitOrders(environment, inStock, buying.accepted());
        table.add("3 gateway in stock", "accept-to-order p99 (MSK trigger, batches of 100)",
                BenchTable.millis(OrderConsumerThroughput.acceptToOrderP99(environment.database(), inStock)), "<= 1 s");
    }

    /** Until the consumer has decided a product's accepted requests (30 s at most). */
    private static void awaitOrders(LocalEnvironment environment, String product, long accepted) throws Exception {
        Deadline.await(Duration.ofSeconds(30), Duration.ofMillis(200),
                () -> OrderConsumerThroughput.decided(environment.database(), product) >= accepted);
    }

    /**
     * A phase that a warm container serves for the whole sale: timed after the JIT has compiled its
     * path. Measured from cold, or after 5 s of warm-up, the sold-out phase went at a third of the
     * rate the same phase reached once warm (the C2 compiler thread took a quarter of the JVM's CPU).
     */
    private GatewayLoad.Result warmThenMeasure(GatewayLoad load, String phase, List<String> accessTokens,
                                               List<Shoppers.Buy> buys) throws IOException, InterruptedException {
        load.run(phase + "-warm-up", accessTokens, buys, WRK_THREADS, WRK_CONNECTIONS, warmUpSeconds());
        return load.run(phase, accessTokens, buys, WRK_THREADS, WRK_CONNECTIONS, sizes.soldOutSeconds());
    }

    private int warmUpSeconds() {
        return 2 * sizes.soldOutSeconds();
    }

    /** Load before the early sold-out measurement: 5 s (issue 18's "after 5 s of load"), 1 s in quick mode. */
    private int earlySeconds() {
        return Math.min(5, sizes.soldOutSeconds() / 2);
    }

    /** The smallest Micronaut function behind the same adapter (local-env/lab/trivial-function). */
    private Path trivialJar() {
        return root.resolve("local-env/lab/trivial-function/target/trivial-lambda.jar");
    }

    /** Where the phase's CPU went: per accepted buy, over every process of the stack (none without /proc). */
    private void cpuRows(String section, Optional<CpuUse.Use> cpu, long accepted) {
        cpu.ifPresent(use -> {
            table.add(section, "CPU per accepted buy, every process (cores busy)", use.perUnit(accepted), "");
            Ticker.say("  CPU per accepted buy, " + section + ": " + use.perUnitByComponent(accepted));
            charts.put("CPU per accepted buy by component (µs), " + section, use.microsPerUnit(accepted));
        });
    }

    private void gatewayRows(String section, GatewayLoad.Result result, boolean soldOutPhase, String aim) {
        table.add(section, soldOutPhase ? "requests/s" : "buys accepted/s (requests/s)", soldOutPhase
                ? BenchTable.perSecond(result.perSecond())
                : BenchTable.perSecond(result.acceptedPerSecond()) + " (" + BenchTable.perSecond(result.perSecond()) + ")", aim);
        table.add(section, "p50 / p99 / p99.9", BenchTable.millis(result.p50()) + " / " + BenchTable.millis(result.p99())
                + " / " + BenchTable.millis(result.p999()), "");
        table.add(section, "errors (of requests)", result.errors(soldOutPhase) + " of " + result.requests(), "0");
    }

    private void orderConsumer(LocalEnvironment environment, RealServers servers, Map<String, Long> throughput) throws Exception {
        Ticker.say("4/6 order consumer: batches of 100 and 500, function against bare multi-row inserts");
        OrderConsumerThroughput orders = new OrderConsumerThroughput(environment.database(), environment.trigger(),
                environment.topic());
        String product = orders.product();
        LocalFunction consumer = environment.function("order-consumer");
        // warm-up, half as long as the measured batches of 100 (5,000 orders in the full run, like section 2's):
        // the JIT compiles the consumer's path before it is timed, as in a container that has been consuming
        int warmUpBatches = Math.max(3, sizes.consumerBatches100() / 2);
        orders.function(consumer, product, 100, warmUpBatches);
        orders.raw(product, 100, warmUpBatches);
        for (int size : new int[] {100, 500}) {
            int batches = size == 100 ? sizes.consumerBatches100() : sizes.consumerBatches500();
            double function = orders.function(consumer, product, size, batches);
            double raw = orders.raw(product, size, batches);
            table.add("4 order consumer", "orders/s, batches of " + size, BenchTable.perSecond(function), ">= 20,000/s");
            table.add("4 order consumer", "raw multi-row inserts, batches of " + size, BenchTable.perSecond(raw), "");
            table.add("4 order consumer", "ratio, batches of " + size, String.format("%.2f", function / raw), ">= 0.5");
            throughput.put("4 consumer, batches of " + size, Math.round(function));
            throughput.put("4 raw inserts, batches of " + size, Math.round(raw));
        }
    }

    private void coldStarts(LocalEnvironment environment, RealServers servers, Path work) throws Exception {
        Ticker.say("5/6 cold start of each function in a fresh JVM (" + String.join(" ", ColdStart.JVM_FLAGS) + "), "
                + ColdStart.ROUNDS + " rounds");
        Properties properties = new Properties();
        properties.putAll(environment.settings());
        Map<String, Long> coldStart = new LinkedHashMap<>();
        Map<String, Long> memory = new LinkedHashMap<>();
        charts.put("Cold start: JVM start to first answer (ms)", coldStart);
        charts.put("RSS after the requests (MiB)", memory);
        // a product of their own, without orders: the 10,000 requests measure the function, not the size of a sale
        Shoppers shoppers = new Shoppers(environment);
        String product = shoppers.openSale("bench cold start", 100, Duration.ofSeconds(1));
        if (sizes.coldStarts().contains("reconciliation")) {
            // reconciliation's first event is a run over every sale in its window; section 4 leaves one of some
            // 60,000 orders, whose run section 6 measures: here only this section's small product is in the window,
            // so that the figure is the function's start, comparable with the others'
            try (Connection connection = environment.database().connect()) {
                LabSql.update(connection, "UPDATE product SET starts_at = now() - interval '400 days', "
                        + "ends_at = now() - interval '399 days' WHERE id <> ?", product);
            }
        }
        Map<String, List<String>> events = coldStartEvents(environment, shoppers, product);
        events.keySet().retainAll(sizes.coldStarts());
        // the machine is shared: each function starts ROUNDS times, the trivial one first in every round, and the
        // median counts; the last round also serves the further requests whose RSS is reported
        Map<String, List<Long>> firstAnswers = new LinkedHashMap<>();
        Map<String, ColdStart.Result> lastRound = new LinkedHashMap<>();
        for (int round = 0; round < ColdStart.ROUNDS; round++) {
            boolean last = round == ColdStart.ROUNDS - 1;
            for (Map.Entry<String, List<String>> entry : events.entrySet()) {
                String name = entry.getKey();
                boolean isTrivial = name.equals("trivial");

                int requests = last ? requestsAfterFirst(name) : 0;
                // each round starts with another event: a buy's purchase token is good once
                List<String> roundEvents = new ArrayList<>(entry.getValue());
                Collections.rotate(roundEvents, -round);
                ColdStart.Result result = ColdStart.measure(name, isTrivial ? trivialJar() : environment.manifest().artifact(name),
                        isTrivial ? TRIVIAL_HANDLER : environment.manifest().function(name).handler(),
                        roundEvents, requests, properties, work);
                firstAnswers.computeIfAbsent(name, key -> new ArrayList<>()).add(result.firstAnswerMillis());
                if (last) {
                    lastRound.put(name, result);
                }
            }
        }
        long trivial = ColdStart.median(firstAnswers.get("trivial"));
        for (Map.Entry<String, ColdStart.Result> entry : lastRound.entrySet()) {
            String name = entry.getKey();
            ColdStart.Result result = entry.getValue();
            boolean isTrivial = name.equals("trivial");
            long firstAnswer = ColdStart.median(firstAnswers.get(name));
            int requests = requestsAfterFirst(name);
            table.add("5 cold start", name + ": JVM start to first answer (median of " + ColdStart.ROUNDS + ")", firstAnswer + " ms"
                            + (isTrivial ? "" : String.format(" (%.2f x trivial)", (double) firstAnswer / trivial)),
                    isTrivial ? "yardstick" : "<= 1.2 x trivial");
            table.add("5 cold start", name + ": RSS after " + String.format("%,d", result.requests()) + " requests"
                            + (result.requests() < requests ? " (" + ColdStart.MAX_REQUEST_SECONDS + " s cap)" : ""),
                    String.format("%.0f MiB", result.rssMiB()), "");
            coldStart.put(name, firstAnswer);
            memory.put(name, Math.round(result.rssMiB()));
        }
    }

    /** How many more events a function's last cold-start run answers before its RSS is read. */
    private int requestsAfterFirst(String function) {
        return function.equals("reconciliation") ? sizes.reconciliationRequests() : sizes.coldStartRequests();
    }

    /**
     * The events each function answers in its cold-start runs, the first of them first (one per round at least, each
     * round starting with the next); the trivial function comes first, as the yardstick.
     */
    private Map<String, List<String>> coldStartEvents(LocalEnvironment environment, Shoppers shoppers, String product) {
        Map<String, List<String>> events = new LinkedHashMap<>();
        events.put("trivial", List.of(ApiGatewayEvents.http("GET", "/trivial", "/trivial", "", Map.of(), Map.of(), Map.of(),
                null, "127.0.0.1", Optional.empty())));
        events.put("admin", List.of(Shoppers.adminEvent("GET", "/admin/products/" + product + "/stats",
                "/admin/products/{productId}/stats", Map.of("productId", product), null)));
        List<String> tokens = new ArrayList<>();
        for (int user = 0; user < 500; user++) {
            tokens.add(ApiGatewayEvents.http("POST", "/api/flash-sale/token", "/api/flash-sale/token", "", Map.of(), Map.of(),
                    Map.of("content-type", "application/json"), "{\"productId\":\"" + product + "\"}",
                    Shoppers.sourceIp(user), Optional.of(Map.of("sub", "cold" + user, "scope", "openid"))));
        }
        events.put("token", tokens);
        events.put("buy", buyEvents(shoppers.buys(product, "cold", 0, 500)));
        events.put("result", List.of(ApiGatewayEvents.http("GET", "/api/products/{productId}", "/api/products/" + product, "",
                Map.of(), Map.of("productId", product), Map.of(), null, "127.0.0.1", Optional.empty())));
        String topic = environment.topic();
        List<String> orders = new ArrayList<>();
        for (int round = 0; round < ColdStart.ROUNDS; round++) {
            // a new request id each round: a redelivered one would be a cheaper "already processed"
            String value = OrderConsumerThroughput.eventJson(RequestIds.newRequestId(product), product, "cold" + round,
                    Instant.now());
            orders.add(environment.trigger().kafkaEvent(new Batch(Map.of(
                    new TopicPartition(topic, 0), List.of(new ConsumerRecord<>(topic, 0, 1_000_000L + round,
                            (product + "/cold" + round).getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)))))));
        }
        events.put("order-consumer", orders);
        events.put("reconciliation", List.of(environment.scheduler().scheduledEvent(Instant.now())));
        return events;
    }

    private void growth(LocalEnvironment environment, RealServers servers) throws Exception {
        Map<String, Long> p99 = new LinkedHashMap<>();
        charts.put("Growth: buy latency p99 by crowd (µs)", p99);
        for (int users : sizes.saleUsers()) {
            Ticker.say("6/6 growth: a whole sale of " + String.format("%,d", users) + " users through the gateway");
            Map<String, String> figures;
            try (Ticker ignored = new Ticker(() -> "simulating " + users + " users")) {
                figures = Growth.sale(environment.baseUrl(), users, 256);
            }
            table.add("6 growth", String.format("%,d users: buy p50 / p99", users),
                    figures.get("buy latency p50") + " / " + figures.get("buy latency p99"), "");
            table.add("6 growth", String.format("%,d users: buy requests/s", users), figures.get("buy requests/s"), "");
            p99.put(String.format("%,d users", users),
                    Math.round(Double.parseDouble(figures.get("buy latency p99").replace(" ms", "")) * 1000));
            sectionDone();
        }
        Map<String, Long> reconciliation = new LinkedHashMap<>();
        charts.put("Growth: reconciliation run (ms)", reconciliation);
        for (int orders : sizes.reconciliationOrders()) {
            Ticker.say("6/6 growth: reconciliation over " + String.format("%,d", orders) + " orders");
            long[] millis;
            try (Ticker ignored = new Ticker(() -> "reconciling " + orders + " orders")) {
                millis = Growth.reconciliation(environment.database(), environment.scheduler(), orders);
            }
            table.add("6 growth", String.format("reconciliation, %,d orders: first / second run", orders),
                    millis[0] + " ms / " + millis[1] + " ms", "");
            reconciliation.put(String.format("%,d orders", orders), millis[1]);
            sectionDone();
        }
    }

    /** After each section: its rows on the terminal, and the report so far (a cut-short run keeps what it measured). */
    private void sectionDone() throws java.io.IOException {
        List<BenchTable.Row> rows = table.rows();
        for (BenchTable.Row row : rows.subList(printedRows, rows.size())) {
            Ticker.say("  = " + row.measure() + ": " + row.value() + (row.aim().isEmpty() ? "" : "   (aim " + row.aim() + ")"));
        }
        printedRows = rows.size();
        if (report.isPresent()) {
            BenchReport.write(report.get(), "run " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors()
                    + " cores", table, charts);
            Files.writeString(report.get().resolveSibling(report.get().getFileName().toString().replaceFirst("\\.html?$", "")
                    + "-table.md"), table.markdown());
        }
    }

    private static List<String> buyEvents(List<Shoppers.Buy> buys) {
        return buys.stream().map(Shoppers::buyEvent).toList();
    }
}
