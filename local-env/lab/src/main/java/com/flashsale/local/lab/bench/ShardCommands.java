package com.flashsale.local.lab.bench;

import com.flashsale.local.runtime.LocalEnvironment;
import com.flashsale.local.runtime.gateway.ApiGatewayEvents;
import com.flashsale.local.runtime.lambda.Invocable;
import com.flashsale.local.servers.CommandStats;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.redis.RedisKeys;
import io.lettuce.core.RedisClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Section 7: Redis commands on the product's shard per crowd request, for token and for buy, before
 * and after sell-out. Counted from the shard's {@code INFO commandstats} before and after each phase
 * (the commands a script runs count as well as its EVALSHA): on the Redis Cluster the master of the
 * product's slot ({@code --redis-cluster}), on the standalone server every command of the server,
 * the buckets and the deny list included (an upper bound). Each phase is a crowd of distinct users
 * (and addresses) sent to the function in-process, {@link #THREADS} at a time.
 */
final class ShardCommands {

    private static final int THREADS = 16;
    private static final String TOKEN_PATH = "/api/flash-sale/token";

    /** One phase's figure: requests sent, and commands the product's shard ran for them. */
    record Phase(String name, int requests, long commands, Map<String, Long> byCommand) {

        double perRequest() {
            return (double) commands / requests;
        }
    }

    private final LocalEnvironment environment;
    private final RealServers servers;
    private final Shoppers shoppers;

    ShardCommands(LocalEnvironment environment, RealServers servers, Shoppers shoppers) {
        this.environment = environment;
        this.servers = servers;
        this.shoppers = shoppers;
    }

    /** Where the commands are counted, for the table. */
    String where() {
        return environment.redisCluster().isPresent() ? "Redis Cluster, master of the product's slot"
                : "standalone Redis, every command of the server";
    }

    /** Token then buy for a crowd in stock, then for another crowd after the product sold out. */
    List<Phase> measure(int crowd) throws InterruptedException {
        List<Phase> phases = new ArrayList<>();
        Invocable token = environment.function("token");
        Invocable buy = environment.function("buy");

        String inStock = shoppers.openSale("bench shard in stock", 10_000_000, java.time.Duration.ofSeconds(1));
        phases.add(count(inStock, "token, in stock", () -> send(token, tokenEvents(inStock, "shard-in", crowd))));
        List<String> buysInStock = buyEvents(shoppers.buys(inStock, "shard-in", 0, crowd));
        phases.add(count(inStock, "buy, in stock", () -> send(buy, buysInStock)));

        String soldOut = shoppers.openSale("bench shard sold out", 1, java.time.Duration.ofSeconds(1));
        send(buy, buyEvents(shoppers.buys(soldOut, "shard-first", 0, 2))); // the last unit goes
        List<String> tokensAfter = tokenEvents(soldOut, "shard-out", crowd);
        phases.add(count(soldOut, "token, after sell-out", () -> send(token, tokensAfter)));
        // a crowd that still holds tokens (issued before the last unit went, or by a bot's replay)
        List<String> buysAfter = buyEvents(shoppers.buys(soldOut, "shard-out", 0, crowd));
        phases.add(count(soldOut, "buy, after sell-out", () -> send(buy, buysAfter)));
        return phases;
    }

    private Phase count(String productId, String name, Supplier<Integer> phase) {
        CommandStats before = stats(productId);
        int requests = phase.get();
        CommandStats after = stats(productId);
        return new Phase(name, requests, after.workSince(before), after.workByCommandSince(before));
    }

    private CommandStats stats(String productId) {
        Optional<com.flashsale.local.servers.RedisCluster> cluster = environment.redisCluster();
        if (cluster.isPresent()) {
            return cluster.get().commandStatsOfMasterOf(RedisKeys.product(productId).meta());
        }
        RedisClient client = RedisClient.create(servers.redisUri());
        try (var connection = client.connect()) {
            return CommandStats.parse(connection.sync().info("commandstats"));
        } finally {
            client.shutdown();
        }
    }

    private static List<String> tokenEvents(String productId, String userPrefix, int count) {
        List<String> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(ApiGatewayEvents.http("POST", TOKEN_PATH, TOKEN_PATH, "", Map.of(), Map.of(),
                    Map.of("content-type", "application/json"), "{\"productId\":\"" + productId + "\"}",
                    Shoppers.sourceIp(i), Optional.of(Map.of("sub", userPrefix + i, "scope", "openid"))));
        }
        return events;
    }

    private static List<String> buyEvents(List<Shoppers.Buy> buys) {
        return buys.stream().map(Shoppers::buyEvent).toList();
    }

    /** Sends every event, {@link #THREADS} at a time; returns how many were sent. */
    private static int send(Invocable function, List<String> events) {
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>(THREADS);
        for (int t = 0; t < THREADS; t++) {
            Thread worker = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < events.size(); i = next.getAndIncrement()) {
                    function.invoke(events.get(i));
                }
            }, "bench-shard-" + t);
            worker.start();
            workers.add(worker);
        }
        try {
            for (Thread worker : workers) {
                worker.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return events.size();
    }
}
