package com.flashsale.local.servers;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Redis, Kafka and PostgreSQL for one machine: started by us, or existing servers named by
 * environment variables ({@code REDIS_URL}, {@code KAFKA_BOOTSTRAP_SERVERS}, {@code DATABASE_URL}
 * with {@code DATABASE_USER} and {@code DATABASE_PASSWORD}).
 *
 * <p>Tests share one instance per JVM and isolate themselves with fresh databases, topics and
 * product ids; servers started here can also be stopped and started again, for fault tests.
 *
 * <p>The servers started here run the machine's binaries when it has them: {@code redis-server} on
 * the {@code PATH}; PostgreSQL from {@code PG_BIN}, else the newest {@code /usr/lib/postgresql/<n>/bin}.
 * Otherwise they run the binaries that Maven artifacts ship (embedded-redis's redis-server 6.2,
 * zonky's PostgreSQL 16, for Linux and macOS on x86-64 and ARM64), unpacked once into
 * {@code $FLASHSALE_WORK_DIR/cache}, else {@code ~/.cache/flashsale}. {@code FLASHSALE_SERVER_BINARIES=shipped}
 * ignores the machine's binaries (and {@code PG_BIN}) and always runs the shipped ones, the path a
 * machine with nothing installed takes; the default is {@code auto}. Kafka always comes from Maven
 * Central and runs in a child JVM. A Redis Cluster ({@link #redisCluster()}) is there on demand.
 */
public final class RealServers implements AutoCloseable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Path dir;
    private final ServerBinaries binaries;
    private final Optional<RedisServer> redis;
    private final Optional<KafkaServer> kafka;
    private final Optional<PostgresServer> postgres;
    private final String redisUri;
    private final String kafkaBootstrapServers;
    private final Database adminDatabase;
    private RedisCluster redisCluster;

    private RealServers(Path dir, ServerBinaries binaries, Optional<RedisServer> redis, Optional<KafkaServer> kafka,
                        Optional<PostgresServer> postgres, Map<String, String> env) {
        this.dir = dir;
        this.binaries = binaries;
        this.redis = redis;
        this.kafka = kafka;
        this.postgres = postgres;
        this.redisUri = redis.map(RedisServer::uri).orElseGet(() -> env.get("REDIS_URL"));
        this.kafkaBootstrapServers = kafka.map(KafkaServer::bootstrapServers).orElseGet(() -> env.get("KAFKA_BOOTSTRAP_SERVERS"));
        this.adminDatabase = postgres.map(pg -> new Database(pg.jdbcUrl("postgres"), PostgresServer.USER, ""))
                .orElseGet(() -> new Database(env.get("DATABASE_URL"), env.getOrDefault("DATABASE_USER", "postgres"),
                        env.getOrDefault("DATABASE_PASSWORD", "")));
    }

    /** Starts whatever the environment does not name, the three in parallel. */
    public static RealServers start() {
        return start(System.getenv());
    }

    static RealServers start(Map<String, String> env) {
        Path dir = workDirectory();
        ServerBinaries binaries = ServerBinaries.fromEnvironment(env);
        var redis = startUnless(env, "REDIS_URL", () -> RedisServer.start(dir.resolve("redis"), binaries));
        var kafka = startUnless(env, "KAFKA_BOOTSTRAP_SERVERS", () -> KafkaServer.start(dir.resolve("kafka")));
        var postgres = startUnless(env, "DATABASE_URL", () -> PostgresServer.start(dir.resolve("postgres"), binaries));
        try {
            return new RealServers(dir, binaries, redis.join(), kafka.join(), postgres.join(), env);
        } catch (RuntimeException e) {
            // one failed: stop the others rather than leave them running
            redis.thenAccept(r -> r.ifPresent(RedisServer::stop));
            kafka.thenAccept(k -> k.ifPresent(KafkaServer::stop));
            postgres.thenAccept(p -> p.ifPresent(PostgresServer::stop));
            throw e;
        }
    }

    private static <T> CompletableFuture<Optional<T>> startUnless(Map<String, String> env, String variable, Supplier<T> starter) {
        String existing = env.get(variable);
        if (existing != null && !existing.isBlank()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.supplyAsync(() -> Optional.of(starter.get()));
    }

    private static Path workDirectory() {
        try {
            String base = System.getenv().getOrDefault("FLASHSALE_WORK_DIR", System.getProperty("java.io.tmpdir"));
            Path root = Files.createDirectories(Path.of(base));
            return Files.createTempDirectory(root, "flashsale-servers-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String redisUri() {
        return redisUri;
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrapServers;
    }

    /** The server's maintenance database; tests use {@link #freshDatabase(String)}. */
    public Database adminDatabase() {
        return adminDatabase;
    }

    /**
     * A Redis Cluster of 3 masters and 3 replicas (ElastiCache's topology), started on first use
     * beside the standalone server and stopped with the others; always started here.
     */
    public synchronized RedisCluster redisCluster() {
        if (redisCluster == null) {
            long started = System.nanoTime();
            redisCluster = RedisCluster.start(dir.resolve("redis-cluster"), binaries);
            System.out.printf("redis cluster up in %d ms: %s%n", (System.nanoTime() - started) / 1_000_000, redisCluster.uris());
        }
        return redisCluster;
    }

    /** The broker we started, to stop and start it again; empty when it is an existing server. */
    public Optional<KafkaServer> kafka() {
        return kafka;
    }

    public Optional<PostgresServer> postgres() {
        return postgres;
    }

    public Optional<RedisServer> redis() {
        return redis;
    }

    /** A new, empty database on the server, for one test class or one local run. */
    public Database freshDatabase(String prefix) {
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet())
                .toLowerCase().replaceAll("[^a-z0-9_]", "_");
        try (Connection connection = adminDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return adminDatabase.withName(name);
    }

    /** Creates a topic (single replica) and returns its name, made unique from the prefix. */
    public String freshTopic(String prefix, int partitions) {
        return createTopic(prefix + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet(), partitions);
    }

    /** Creates a topic of this name (single replica) and returns its name. */
    public String createTopic(String name, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
            return name;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path workDirectory(String name) {
        try {
            return Files.createDirectories(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the servers we started and deletes their data and logs. */
    @Override
    public void close() {
        synchronized (this) {
            if (redisCluster != null) {
                redisCluster.stop();
            }
        }
        redis.ifPresent(RedisServer::stop);
        kafka.ifPresent(KafkaServer::stop);
        postgres.ifPresent(PostgresServer::stop);
        deleteTree(dir);
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    /** Where a database is and how to log in. */
    public record Database(String jdbcUrl, String user, String password) {

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl, user, password);
        }

        Database withName(String name) {
            int slash = jdbcUrl.lastIndexOf('/');
            int query = jdbcUrl.indexOf('?', slash);
            return new Database(jdbcUrl.substring(0, slash + 1) + name + (query < 0 ? "" : jdbcUrl.substring(query)),
                    user, password);
        }

        @Override
        public String toString() {
            return "Database[" + jdbcUrl + " as " + user + "]";
        }
    }
}
