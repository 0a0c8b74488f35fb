package com.flashsale.local.runtime;

import com.flashsale.local.runtime.lambda.LocalFunction;

import java.time.Duration;
import java.util.stream.Collectors;

/** The short table {@code ./flashsale up} prints once the stack runs: what runs where. */
final class Status {

    private Status() {
    }

    static String of(LocalEnvironment environment, Duration reconcileEvery, int batchSize) {
        var servers = environment.servers();
        String functions = environment.manifest().functions().keySet().stream()
                .map(name -> String.format("%s %.1f s%s", name, environment.function(name).coldStartMillis() / 1000.0,
                        primed(environment.function(name))))
                .collect(Collectors.joining(", "));
        return String.join("\n",
                row("gateway", environment.baseUrl(), "the API's routes, /local/login, /local/health"),
                environment.redisCluster()
                        .map(cluster -> row("redis", cluster.uris().get(0) + " ...", "a Redis Cluster started here: "
                                + "3 masters, 3 replicas, ports " + cluster.ports()))
                        .orElseGet(() -> row("redis", servers.redisUri(), servers.redis().isPresent() ? "started here" : "existing")),
                row("kafka", servers.kafkaBootstrapServers(), "topic " + environment.topic()
                        + ", MSK trigger in batches of " + batchSize),
                row("postgresql", environment.database().jdbcUrl(), servers.postgres().isPresent() ? "started here" : "existing"),
                row("functions", environment.primed() ? "cold starts + checkpoint (priming)" : "cold starts", functions),
                row("stand-ins", "warmed before serving", environment.standIns().map(Object::toString).orElse("not warmed")),
                row("schedule", "reconciliation", "every " + reconcileEvery.toSeconds() + " s"),
                "");
    }

    private static String primed(LocalFunction function) {
        long millis = function.checkpointMillis();
        return millis < 0 ? "" : String.format(" + %.1f s", millis / 1000.0);
    }

    private static String row(String what, String where, String note) {
        return String.format("  %-11s %-48s %s", what, where, note);
    }
}
