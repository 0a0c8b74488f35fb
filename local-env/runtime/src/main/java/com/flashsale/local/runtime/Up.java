package com.flashsale.local.runtime;

import com.flashsale.local.servers.RealServers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code ./flashsale up}: the whole system on this machine until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Starts Redis, Kafka, PostgreSQL and every function behind a local API Gateway; serves until stopped.")
public final class Up implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port of the local gateway (default ${DEFAULT-VALUE}).")
    int port;

    @CommandLine.Mixin
    StackOptions stack;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Up()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        System.out.println("starting Redis, Kafka and PostgreSQL ...");
        RealServers servers = RealServers.start();
        LocalEnvironment environment = stack.start(port, servers, Map.of(), System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping: gateway, trigger, scheduler and functions, then the servers ...");
            environment.close();
            servers.close();
            System.out.println("stopped");
            stopped.countDown();
        }, "flashsale-stop"));
        System.out.printf("up in %.1f s; Ctrl-C stops everything%n", (System.nanoTime() - started) / 1e9);
        System.out.println("READY " + environment.baseUrl());
        stopped.await();
        return 0;
    }
}
