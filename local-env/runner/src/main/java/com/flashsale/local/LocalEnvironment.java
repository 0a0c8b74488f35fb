package com.flashsale.local;

import com.flashsale.local.gateway.LocalGateway;
import com.flashsale.local.gateway.LocalJwt;
import com.flashsale.local.lambda.Functions;
import com.flashsale.local.lambda.Invocable;
import com.flashsale.local.lambda.LocalFunction;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.trigger.LocalScheduler;
import com.flashsale.local.trigger.MskTrigger;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whole system on one machine: real servers, every function from its Lambda artifact, the
 * HTTP gateway in front, the MSK trigger behind buy and the scheduler for reconciliation.
 */
public final class LocalEnvironment implements AutoCloseable {

    private final RealServers servers;
    private final Map<Functions, LocalFunction> functions;
    private final LocalGateway gateway;
    private final MskTrigger trigger;
    private final LocalScheduler scheduler;
    private final RealServers.Database database;
    private final String topic;
    private final Path repositoryRoot;

    /** What to start and how. */
    public record Options(Path repositoryRoot, int port, Duration reconciliationRate, int batchSize, int gatewayThreads) {
    }

    private LocalEnvironment(Path repositoryRoot, RealServers servers, RealServers.Database database, String topic,
                             Map<Functions, LocalFunction> functions, LocalGateway gateway, MskTrigger trigger,
                             LocalScheduler scheduler) {
        this.repositoryRoot = repositoryRoot;
        this.servers = servers;
        this.database = database;
        this.topic = topic;
        this.functions = functions;
        this.gateway = gateway;
        this.trigger = trigger;
        this.scheduler = scheduler;
    }

    public static LocalEnvironment start(Options options, RealServers servers) throws InterruptedException {
        RealServers.Database database = servers.freshDatabase("flashsale");
        String topic = servers.freshTopic("flashsale.orders", 4);
        configureFunctions(servers, database, topic);

        // concurrent: a function can be replaced (a container crash) while the gateway serves
        Map<Functions, LocalFunction> functions = new ConcurrentHashMap<>();
        // admin first: its cold start runs the database migrations the others rely on
        functions.put(Functions.ADMIN, Functions.ADMIN.load(options.repositoryRoot()));
        List<Functions> rest = List.of(Functions.TOKEN, Functions.BUY, Functions.RESULT, Functions.ORDER_CONSUMER,
                Functions.RECONCILIATION);
        rest.stream()
                .map(f -> CompletableFuture.supplyAsync(() -> f.load(options.repositoryRoot())))
                .toList()
                .forEach(loading -> {
                    LocalFunction function = loading.join();
                    functions.put(Functions.valueOf(function.name().toUpperCase().replace('-', '_')), function);
                });

        LocalGateway gateway = new LocalGateway(options.port(), functions, new LocalJwt(), () -> healthy(servers, functions),
                options.gatewayThreads());
        MskTrigger trigger = new MskTrigger(servers.kafkaBootstrapServers(), topic, "flashsale-order-consumer",
                options.batchSize(), current(functions, Functions.ORDER_CONSUMER));
        LocalScheduler scheduler = new LocalScheduler(current(functions, Functions.RECONCILIATION), options.reconciliationRate());
        return new LocalEnvironment(options.repositoryRoot(), servers, database, topic, functions, gateway, trigger, scheduler);
    }

    /** Whichever container of the function is current, as an event source mapping reaches a new one. */
    private static Invocable current(Map<Functions, LocalFunction> functions, Functions function) {
        return new Invocable() {
            @Override
            public String name() {
                return function.moduleName();
            }

            @Override
            public String invoke(String eventJson) {
                return functions.get(function).invoke(eventJson);
            }
        };
    }

    /**
     * A container crash: a new container of the function cold-starts from its artifact and takes
     * over, then the old one is closed under whatever invocations it still runs (they fail, as
     * they would in Lambda, and their callers retry).
     *
     * @return the new container
     */
    public LocalFunction replace(Functions function) {
        LocalFunction fresh = function.load(repositoryRoot);
        LocalFunction old = functions.put(function, fresh);
        if (old != null) {
            old.close();
        }
        return fresh;
    }

    /**
     * Puts another container behind a function's routes and triggers (the benchmark's yardstick),
     * until it is put back.
     *
     * @return the container it stands in for, still open
     */
    public LocalFunction standIn(Functions function, LocalFunction container) {
        return functions.put(function, container);
    }

    /**
     * Every function reads its configuration from the environment in Lambda; here the JVM's system
     * properties play that part (Micronaut reads both), the same for every function.
     */
    private static void configureFunctions(RealServers servers, RealServers.Database database, String topic) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Map.of(
                "redis.uri", servers.redisUri(),
                "kafka.bootstrap.servers", servers.kafkaBootstrapServers(),
                "datasources.default.url", database.jdbcUrl(),
                "datasources.default.username", database.user(),
                "datasources.default.password", database.password(),
                "flashsale.orders-topic", topic,
                "flashsale.token.current-key", "local:" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret)
        ).forEach(System::setProperty);
        // nothing reads CloudWatch metric lines here, and every function logging each request to one
        // console would serialise them all: warnings only, unless LOG_LEVEL says otherwise
        System.setProperty("flashsale.metrics.emf", "false");
        if (System.getenv("LOG_LEVEL") == null && System.getProperty("LOG_LEVEL") == null) {
            System.setProperty("LOG_LEVEL", "WARN");
        }
    }

    static boolean healthy(RealServers servers, Map<Functions, LocalFunction> functions) {
        if (functions.size() != Functions.values().length) {
            return false;
        }
        URI redis = URI.create(servers.redisUri());
        try (var socket = new java.net.Socket(redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort());
             Connection ignored = servers.adminDatabase().connect()) {
            socket.getOutputStream().write("PING\r\n".getBytes());
            byte[] reply = new byte[7];
            int read = socket.getInputStream().read(reply);
            String kafka = servers.kafkaBootstrapServers();
            String[] hostPort = kafka.split(",")[0].split(":");
            try (var broker = new java.net.Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                return read > 0 && new String(reply, 0, read).startsWith("+PONG") && broker.isConnected();
            }
        } catch (Exception e) {
            return false;
        }
    }

    public int port() {
        return gateway.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public RealServers servers() {
        return servers;
    }

    public RealServers.Database database() {
        return database;
    }

    public String topic() {
        return topic;
    }

    public MskTrigger trigger() {
        return trigger;
    }

    public LocalScheduler scheduler() {
        return scheduler;
    }

    public Map<Functions, LocalFunction> functions() {
        return functions;
    }

    @Override
    public void close() {
        gateway.close();
        trigger.close();
        scheduler.close();
        functions.values().forEach(LocalFunction::close);
    }
}
