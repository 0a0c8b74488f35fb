package com.flashsale.local;

import com.flashsale.local.servers.RealServers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

/** The command line behind {@code ./flashsale}. */
@Command(name = "flashsale", mixinStandardHelpOptions = true, subcommands = FlashsaleCli.Up.class,
        description = "Runs the flash-sale backend on one machine.")
public final class FlashsaleCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new FlashsaleCli()).execute(args));
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Starts Redis, Kafka, PostgreSQL and every function behind a local API Gateway; serves until stopped.")
    static final class Up implements Callable<Integer> {

        @Option(names = "--port", defaultValue = "8080", description = "HTTP port of the local gateway (default ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--reconcile-every", defaultValue = "PT10S",
                description = "How often the local scheduler runs reconciliation, ISO-8601 (default ${DEFAULT-VALUE}).")
        Duration reconcileEvery;

        @Option(names = "--batch-size", defaultValue = "100", description = "Records per order-consumer invocation (default ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--root", defaultValue = ".", description = "Repository root (where functions/ is).")
        Path root;

        @Override
        public Integer call() throws Exception {
            long started = System.nanoTime();
            System.out.println("starting Redis, Kafka and PostgreSQL ...");
            RealServers servers = RealServers.start();
            System.out.println("starting the functions from their Lambda artifacts ...");
            LocalEnvironment environment = LocalEnvironment.start(
                    new LocalEnvironment.Options(root.toAbsolutePath().normalize(), port, reconcileEvery, batchSize, 64), servers);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("stopping ...");
                environment.close();
                servers.close();
                stopped.countDown();
            }, "flashsale-stop"));
            environment.functions().values().forEach(f ->
                    System.out.printf("  %-15s cold start %5d ms%n", f.name(), f.coldStartMillis()));
            System.out.printf("up in %.1f s%n", (System.nanoTime() - started) / 1e9);
            System.out.println("READY " + environment.baseUrl());
            stopped.await();
            return 0;
        }
    }
}
