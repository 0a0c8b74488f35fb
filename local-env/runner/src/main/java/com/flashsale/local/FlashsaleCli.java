package com.flashsale.local;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.simulate.Audit;
import com.flashsale.local.simulate.Figures;
import com.flashsale.local.simulate.HtmlReport;
import com.flashsale.local.simulate.Simulation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The command line behind {@code ./flashsale}. */
@Command(name = "flashsale", mixinStandardHelpOptions = true,
        subcommands = {FlashsaleCli.Up.class, FlashsaleCli.Simulate.class, FlashsaleCli.Bench.class},
        description = "Runs the flash-sale backend on one machine.")
public final class FlashsaleCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new FlashsaleCli()).execute(args));
    }

    /** Options of every command that starts the stack. */
    static final class StackOptions {
        @Option(names = "--reconcile-every", defaultValue = "PT10S",
                description = "How often the local scheduler runs reconciliation, ISO-8601 (default ${DEFAULT-VALUE}).")
        Duration reconcileEvery;

        @Option(names = "--batch-size", defaultValue = "100", description = "Records per order-consumer invocation (default ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--root", defaultValue = ".", description = "Repository root (where functions/ is).")
        Path root;

        /** Starts servers and functions; both are stopped by the returned environment's owner. */
        LocalEnvironment start(int port, RealServers servers) throws InterruptedException {
            System.out.println("starting the functions from their Lambda artifacts ...");
            LocalEnvironment environment = LocalEnvironment.start(
                    new LocalEnvironment.Options(root.toAbsolutePath().normalize(), port, reconcileEvery, batchSize, 64), servers);
            environment.functions().values().forEach(f ->
                    System.out.printf("  %-15s cold start %5d ms%n", f.name(), f.coldStartMillis()));
            return environment;
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Starts Redis, Kafka, PostgreSQL and every function behind a local API Gateway; serves until stopped.")
    static final class Up implements Callable<Integer> {

        @Option(names = "--port", defaultValue = "8080", description = "HTTP port of the local gateway (default ${DEFAULT-VALUE}).")
        int port;

        @CommandLine.Mixin
        StackOptions stack;

        @Override
        public Integer call() throws Exception {
            long started = System.nanoTime();
            System.out.println("starting Redis, Kafka and PostgreSQL ...");
            RealServers servers = RealServers.start();
            LocalEnvironment environment = stack.start(port, servers);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("stopping ...");
                environment.close();
                servers.close();
                stopped.countDown();
            }, "flashsale-stop"));
            System.out.printf("up in %.1f s%n", (System.nanoTime() - started) / 1e9);
            System.out.println("READY " + environment.baseUrl());
            stopped.await();
            return 0;
        }
    }

    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = "Plays a whole flash sale through the HTTP API, then audits it; exit code 0 only when every audit line passes.")
    static final class Simulate implements Callable<Integer> {

        @Option(names = "--stock", defaultValue = "1000", description = "Units on sale (default ${DEFAULT-VALUE}).")
        int stock;

        @Option(names = "--users", defaultValue = "20000", description = "Simulated users (default ${DEFAULT-VALUE}).")
        int users;

        @Option(names = "--concurrency", defaultValue = "256", description = "Users active at once (default ${DEFAULT-VALUE}).")
        int concurrency;

        @Option(names = "--retry-share", defaultValue = "0.1", description = "Share of users who resend their buy with the same Idempotency-Key.")
        double retryShare;

        @Option(names = "--twice-share", defaultValue = "0.05", description = "Share of users who try to buy a second time.")
        double twiceShare;

        @Option(names = "--report", description = "Write an HTML report (charts) to this file.")
        Path report;

        @Option(names = "--url", description = "Base URL of a running stack (./flashsale up); default: start a fresh one.")
        String url;

        @CommandLine.Mixin
        StackOptions stack;

        @Override
        public Integer call() throws Exception {
            RealServers servers = url == null ? RealServers.start() : null;
            LocalEnvironment environment = servers == null ? null : stack.start(0, servers);
            try {
                String baseUrl = environment == null ? url : environment.baseUrl();
                Simulation.Outcome outcome = new Simulation(baseUrl, concurrency, System.out)
                        .run(new Simulation.Plan(stock, users, concurrency, retryShare, twiceShare, Duration.ofSeconds(3)));
                Map<String, String> figures = Figures.of(outcome);
                List<Audit.Line> audit = Audit.of(outcome, Optional.ofNullable(environment).map(LocalEnvironment::database));
                System.out.println("\nFigures");
                figures.forEach((name, value) -> System.out.printf("  %-38s %s%n", name, value));
                System.out.println("\nAudit");
                System.out.println(Audit.render(audit));
                if (report != null) {
                    HtmlReport.write(report, outcome, figures, audit);
                    System.out.println("\nreport: " + report.toAbsolutePath());
                }
                return Audit.allPassed(audit) ? 0 : 1;
            } finally {
                if (environment != null) {
                    environment.close();
                }
                if (servers != null) {
                    servers.close();
                }
            }
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Measures, in one run on this machine, each part of the system against its physical limit; "
                    + "prints a table and writes an HTML report. Figures are reported, never judged.")
    static final class Bench implements Callable<Integer> {

        @Option(names = "--quick", description = "Small sizes, for CI: well under two minutes.")
        boolean quick;

        @Option(names = "--report", description = "Write an HTML report (charts) to this file.")
        Path report;

        @Option(names = "--root", defaultValue = ".", description = "Repository root whose built Lambda jars are measured.")
        Path root;

        @Option(names = "--sale-users", split = ",", description = "Section 6: simulated crowds (default 1000,10000,100000; quick 200).")
        List<Integer> saleUsers;

        @Option(names = "--reconciliation-orders", split = ",",
                description = "Section 6: orders reconciled (default 10000,100000,1000000; quick 10000).")
        List<Integer> reconciliationOrders;

        @Override
        public Integer call() throws Exception {
            var sizes = quick ? com.flashsale.local.bench.Bench.Sizes.QUICK : com.flashsale.local.bench.Bench.Sizes.FULL;
            new com.flashsale.local.bench.Bench(root.toAbsolutePath().normalize(), sizes.growth(saleUsers, reconciliationOrders))
                    .run(Optional.ofNullable(report));
            return 0;
        }
    }
}
