package com.flashsale.local.runtime;

import com.flashsale.local.servers.RealServers;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The command-line options of every command that starts the local stack (a picocli mixin). */
public final class StackOptions {

    @Option(names = "--reconcile-every", defaultValue = "PT10S",
            description = "How often the local scheduler runs reconciliation, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration reconcileEvery;

    @Option(names = "--batch-size", defaultValue = "100", description = "Records per order-consumer invocation (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--redis-cluster", description = "Run the functions on a Redis Cluster of 3 masters and 3 replicas "
            + "(ElastiCache's topology), connected in cluster mode (redis.uris) as in Lambda, instead of one redis-server.")
    boolean redisCluster;

    @Option(names = "--no-priming", description = "Serve each function straight from its cold start, without "
            + "SnapStart's checkpoint and restore (by default each runs them, its invoke priming included, before it serves).")
    boolean noPriming;

    @Option(names = "--root", defaultValue = ".", description = "Repository root (where functions/ is).")
    Path root;

    /** Starts every function on the servers and prints what runs where; the caller closes both. */
    public LocalEnvironment start(int port, RealServers servers, Map<String, String> settings, PrintStream out)
            throws InterruptedException {
        out.println("starting the functions from their Lambda artifacts ...");
        LocalEnvironment environment = LocalEnvironment.start(new LocalEnvironment.Options(
                root.toAbsolutePath().normalize(), port, reconcileEvery, batchSize, 64, settings, redisCluster, !noPriming),
                servers);
        out.print(Status.of(environment, reconcileEvery, batchSize));
        return environment;
    }
}
