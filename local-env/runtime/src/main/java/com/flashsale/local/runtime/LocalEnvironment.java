package com.flashsale.local.runtime;

import com.flashsale.local.runtime.gateway.LocalGateway;
import com.flashsale.local.runtime.gateway.LocalJwt;
import com.flashsale.local.runtime.lambda.Invocable;
import com.flashsale.local.runtime.lambda.LocalFunction;
import com.flashsale.local.runtime.trigger.DeliveryHook;
import com.flashsale.local.runtime.trigger.LocalScheduler;
import com.flashsale.local.runtime.trigger.MskTrigger;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RedisCluster;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whole system on one machine: real servers, every function of the manifest from its Lambda
 * artifact, the HTTP gateway in front, the MSK trigger behind buy and the scheduler for
 * reconciliation. {@link #hooks()} is what the lab may do to it.
 */
public final class LocalEnvironment implements AutoCloseable {

    /** The function Terraform invokes once per apply, before the others serve: it migrates the schema. */
    public static final String MIGRATE = "migrate";
    /** The database role the functions log in as (shared's V7__roles.sql). */
    public static final String APP_ROLE = "flashsale_app";
    private static final String DATABASE_USER = "datasources.default.username";

    private final FunctionManifest manifest;
    private final RealServers servers;
    private final Map<String, String> settings;
    private final Map<String, LocalFunction> functions;
    private final LocalGateway gateway;
    private final MskTrigger trigger;
    private final LocalScheduler scheduler;
    private final RealServers.Database database;
    private final String topic;
    private final Optional<RedisCluster> redisCluster;
    private final boolean prime;
    private Optional<StandInWarmUp.Result> standIns = Optional.empty();

    /**
     * What to start and how.
     *
     * @param settings the functions' settings beyond the servers' addresses (property names as in
     *                 their application.yml, e.g. {@code flashsale.payment-window}), read at their
     *                 cold start
     * @param redisCluster whether the functions run on the servers' Redis Cluster, connected in cluster
     *                     mode ({@code redis.uris}, every node a seed) as in Lambda, rather than on the
     *                     standalone server ({@code redis.uri})
     * @param prime        whether each function, once loaded and before it serves, goes through
     *                     SnapStart's checkpoint and restore ({@link LocalFunction#checkpointAndRestore}),
     *                     its invoke priming included, as a published Lambda version does
     */
    public record Options(Path repositoryRoot, int port, Duration reconciliationRate, int batchSize, int gatewayThreads,
                          Map<String, String> settings, boolean redisCluster, boolean prime) {

        /** Without SnapStart's checkpoint and restore: each function serves straight from its cold start. */
        public Options(Path repositoryRoot, int port, Duration reconciliationRate, int batchSize, int gatewayThreads,
                       Map<String, String> settings, boolean redisCluster) {
            this(repositoryRoot, port, reconciliationRate, batchSize, gatewayThreads, settings, redisCluster, false);
        }

        public Options(Path repositoryRoot, int port, Duration reconciliationRate, int batchSize, int gatewayThreads,
                       Map<String, String> settings) {
            this(repositoryRoot, port, reconciliationRate, batchSize, gatewayThreads, settings, false);
        }

        public Options(Path repositoryRoot, int port, Duration reconciliationRate, int batchSize, int gatewayThreads) {
            this(repositoryRoot, port, reconciliationRate, batchSize, gatewayThreads, Map.of());
        }
    }

    private LocalEnvironment(FunctionManifest manifest, RealServers servers, Optional<RedisCluster> redisCluster,
                             RealServers.Database database, String topic,
                             Map<String, String> settings, Map<String, LocalFunction> functions, LocalGateway gateway,
                             MskTrigger trigger, LocalScheduler scheduler, boolean prime) {
        this.manifest = manifest;
        this.servers = servers;
        this.redisCluster = redisCluster;
        this.database = database;
        this.topic = topic;
        this.settings = settings;
        this.functions = functions;
        this.gateway = gateway;
        this.trigger = trigger;
        this.scheduler = scheduler;
        this.prime = prime;
    }

    public static LocalEnvironment start(Options options, RealServers servers) throws InterruptedException {
        FunctionManifest manifest = FunctionManifest.read(options.repositoryRoot());
        RealServers.Database database = servers.freshDatabase("flashsale");
        String topic = servers.freshTopic("flashsale.orders", 4);
        // where buy's invoke priming publishes, named as the functions name it (OrdersTopicConfiguration)
        servers.createTopic(topic + ".priming", 1);
        Optional<RedisCluster> redisCluster = options.redisCluster() ? Optional.of(servers.redisCluster()) : Optional.empty();
        List<String> redisUris = redisCluster.map(RedisCluster::uris).orElseGet(() -> List.of(servers.redisUri()));
        Map<String, String> settings = functionSettings(servers, redisCluster.isPresent(), redisUris, database, topic,
                options.settings());
        settings.forEach(System::setProperty);

        // concurrent: a function can be replaced (a container crash) while the gateway serves
        Map<String, LocalFunction> functions = new ConcurrentHashMap<>();
        // the deploy step first and alone, as Terraform's apply runs it: the others rely on the schema
        functions.put(MIGRATE, migrate(manifest, database));
        manifest.functions().keySet().stream()
                .filter(name -> !name.equals(MIGRATE))
                .map(name -> CompletableFuture.supplyAsync(() -> load(manifest, name, options.prime())))
                .toList()
                .forEach(loading -> {
                    LocalFunction function = loading.join();
                    functions.put(function.name(), function);
                });

        LocalJwt jwt = new LocalJwt();
        LocalGateway gateway = new LocalGateway(options.port(), manifest, functions, jwt,
                () -> healthy(servers, redisUris, manifest, functions), options.gatewayThreads());
        MskTrigger trigger = new MskTrigger(servers.kafkaBootstrapServers(), topic, "flashsale-order-consumer",
                options.batchSize(), current(functions, "order-consumer"));
        LocalScheduler scheduler = new LocalScheduler(current(functions, "reconciliation"), options.reconciliationRate());
        LocalEnvironment environment = new LocalEnvironment(manifest, servers, redisCluster, database, topic, settings,
                functions, gateway, trigger, scheduler, options.prime());
        if (options.prime()) {
            try {
                environment.standIns = Optional.of(StandInWarmUp.run(servers.kafkaBootstrapServers(),
                        servers.createTopic(topic + ".warm-up", 4), environment.baseUrl(), jwt));
            } catch (RuntimeException | InterruptedException e) {
                environment.close();
                throw e;
            }
        }
        return environment;
    }

    /** A new container of the function, primed (checkpoint and restore) before it serves when {@code prime}. */
    private static LocalFunction load(FunctionManifest manifest, String name, boolean prime) {
        LocalFunction function = manifest.load(name);
        if (prime) {
            function.checkpointAndRestore();
        }
        return function;
    }

    /**
     * Loads the migrate function and invokes it once, logged in as the schema's owner (the database's
     * user) where the other functions log in as {@link #APP_ROLE}.
     */
    private static LocalFunction migrate(FunctionManifest manifest, RealServers.Database database) {
        System.setProperty(DATABASE_USER, database.user());
        try {
            LocalFunction migrate = manifest.load(MIGRATE);
            migrate.invoke("{}");
            return migrate;
        } finally {
            System.setProperty(DATABASE_USER, APP_ROLE);
        }
    }

    /** Whichever container of the function is current, as an event source mapping reaches a new one. */
    private static Invocable current(Map<String, LocalFunction> functions, String function) {
        return new Invocable() {
            @Override
            public String name() {
                return function;
            }

            @Override
            public String invoke(String eventJson) {
                return functions.get(function).invoke(eventJson);
            }
        };
    }

    /**
     * In Lambda every function reads its settings from its environment variables; here the JVM's
     * system properties play that part (Micronaut reads both), one set for all the functions.
     */
    private static Map<String, String> functionSettings(RealServers servers, boolean cluster, List<String> redisUris,
                                                        RealServers.Database database, String topic,
                                                        Map<String, String> extra) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Map<String, String> settings = new LinkedHashMap<>();
        // REDIS_URIS in Lambda (a cluster's configuration endpoint); here every node is a seed
        settings.put(cluster ? "redis.uris" : "redis.uri", String.join(",", redisUris));
        settings.put("kafka.bootstrap.servers", servers.kafkaBootstrapServers());
        settings.put("datasources.default.url", database.jdbcUrl());
        // the role of V7__roles.sql: rows only, no DDL (the local server trusts local logins, as RDS
        // Proxy trusts a valid IAM token)
        settings.put(DATABASE_USER, APP_ROLE);
        settings.put("datasources.default.password", database.password());
        settings.put("flashsale.orders-topic", topic);
        settings.put("flashsale.token.current-key", "local:" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        byte[] altchaKey = new byte[32];
        new SecureRandom().nextBytes(altchaKey);
        settings.put("flashsale.human.altcha-key", Base64.getUrlEncoder().withoutPadding().encodeToString(altchaKey));
        // nothing reads CloudWatch metric lines here, and every function logging each request to one
        // console would serialise them all: warnings only, unless LOG_LEVEL says otherwise
        settings.put("flashsale.metrics.emf", "false");
        if (System.getenv("LOG_LEVEL") == null && System.getProperty("LOG_LEVEL") == null) {
            settings.put("LOG_LEVEL", "WARN");
        }
        settings.putAll(extra);
        return Map.copyOf(settings);
    }

    /** Every function loaded, and Redis (one of its nodes), PostgreSQL and Kafka answering. */
    static boolean healthy(RealServers servers, List<String> redisUris, FunctionManifest manifest,
                           Map<String, LocalFunction> functions) {
        if (!functions.keySet().containsAll(manifest.functions().keySet())) {
            return false;
        }
        try (Connection ignored = servers.adminDatabase().connect()) {
            String kafka = servers.kafkaBootstrapServers();
            String[] hostPort = kafka.split(",")[0].split(":");
            try (var broker = new java.net.Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                return broker.isConnected() && redisUris.stream().anyMatch(LocalEnvironment::pong);
            }
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean pong(String uri) {
        URI redis = URI.create(uri);
        try (var socket = new java.net.Socket(redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort())) {
            socket.getOutputStream().write("PING\r\n".getBytes());
            byte[] reply = new byte[7];
            int read = socket.getInputStream().read(reply);
            return read > 0 && new String(reply, 0, read).startsWith("+PONG");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The hooks through which the lab plays what AWS may do to the system. */
    public RuntimeHooks hooks() {
        return new RuntimeHooks() {
            @Override
            public LocalFunction replaceContainer(String function) {
                // in Lambda a new container is restored from the version's (primed) snapshot
                LocalFunction fresh = load(manifest, function, prime);
                LocalFunction old = functions.put(function, fresh);
                if (old != null) {
                    old.close();
                }
                return fresh;
            }

            @Override
            public LocalFunction standIn(String function, LocalFunction container) {
                return functions.put(function, container);
            }

            @Override
            public void deliveryHook(DeliveryHook hook) {
                trigger.hook(hook);
            }
        };
    }

    /** Whether each function went through SnapStart's checkpoint and restore before serving ({@link Options#prime}). */
    public boolean primed() {
        return prime;
    }

    /** What warmed the Kafka broker and the gateway before the stack served (with {@link Options#prime} only). */
    public Optional<StandInWarmUp.Result> standIns() {
        return standIns;
    }

    public FunctionManifest manifest() {
        return manifest;
    }

    /** The current container of a function of the manifest. */
    public LocalFunction function(String name) {
        manifest.function(name);
        return functions.get(name);
    }

    /** The functions' settings (their environment variables in Lambda), for a process that runs one elsewhere. */
    public Map<String, String> settings() {
        return settings;
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

    /** The Redis Cluster the functions run on, when {@link Options#redisCluster()}; empty on the standalone server. */
    public Optional<RedisCluster> redisCluster() {
        return redisCluster;
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

    /** Clients first (gateway, trigger, scheduler, functions), so nothing is left talking to a server. */
    @Override
    public void close() {
        gateway.close();
        trigger.close();
        scheduler.close();
        functions.values().forEach(LocalFunction::close);
        settings.keySet().forEach(System::clearProperty);
    }
}
