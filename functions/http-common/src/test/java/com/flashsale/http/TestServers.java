package com.flashsale.http;

import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.redis.Preload;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.redis.SaleGate;
import com.flashsale.shared.redis.ScriptRunner;
import com.flashsale.shared.token.PurchaseToken;
import com.flashsale.shared.token.PurchaseTokenCodec;
import com.flashsale.shared.token.TokenKey;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Configuration that points a function at the real test servers, and a direct Redis view. */
public final class TestServers implements AutoCloseable {

    /** A test-only HMAC key (32+ bytes), never used anywhere else. */
    public static final String TOKEN_KEY = "test-k1:0123456789abcdef0123456789abcdef-test-only";

    private final RealServers servers;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final SaleGate gate;
    private final PurchaseTokenCodec codec = new PurchaseTokenCodec(TokenKey.parse(TOKEN_KEY), Optional.empty());

    public TestServers(RealServers servers) {
        this.servers = servers;
        this.client = RedisClient.create(servers.redisUri());
        this.connection = client.connect();
        this.gate = new SaleGate(new ScriptRunner(connection.async()), Duration.ofHours(1));
    }

    public SaleGate gate() {
        return gate;
    }

    public PurchaseTokenCodec codec() {
        return codec;
    }

    /** A product on sale now (one hour either side), preloaded into Redis. */
    public ProductCard productOnSale(int stock, int limitPerUser) {
        Instant now = Instant.now();
        return preload(new ProductCard(newProductId(), "phone", 99_900, stock, now.minusSeconds(3600),
                now.plusSeconds(3600), limitPerUser));
    }

    public ProductCard preload(ProductCard product) {
        Preload preload = gate.preload(product, product.stock(), product.endsAt().plus(Duration.ofDays(1)))
                .toCompletableFuture().join();
        if (preload.outcome() != Preload.Outcome.LOADED) {
            throw new IllegalStateException("not loaded: " + preload);
        }
        return product;
    }

    /** A purchase token as the token function issues it: a fresh nonce, signed, valid for a minute. */
    public String token(String userId, String productId) {
        return unregisteredToken(userId, productId, Instant.now().plusSeconds(60));
    }

    /** A token issued earlier (say before the stock ran out): tokens are stateless, so just a token. */
    public String grantedToken(String userId, String productId) {
        return token(userId, productId);
    }

    /** A signed token with a fresh nonce and the given expiry. */
    public String unregisteredToken(String userId, String productId, Instant expiresAt) {
        return codec.encode(new PurchaseToken(userId, productId, UUID.randomUUID().toString(), expiresAt));
    }

    public long stock(String productId) {
        String stock = redis().get(RedisKeys.product(productId).stock());
        return stock == null ? -1 : Long.parseLong(stock);
    }

    /** Every key of the product and its content, to prove a refused request changed nothing. */
    public Map<String, String> productState(String productId) {
        Map<String, String> state = new java.util.TreeMap<>();
        for (String key : redis().keys(RedisKeys.product(productId).pattern())) {
            String type = redis().type(key);
            String value = switch (type) {
                case "string" -> redis().get(key);
                case "hash" -> new java.util.TreeMap<>(redis().hgetall(key)).toString();
                case "set" -> new java.util.TreeSet<>(redis().smembers(key)).toString();
                case "stream" -> redis().xrange(key, io.lettuce.core.Range.create("-", "+")).toString();
                default -> type;
            };
            state.put(key, type + "=" + value);
        }
        return state;
    }

    /**
     * {@link #productState} but the buy buckets in the product's slot, which every request that
     * reaches the admission script is charged to, refused or not.
     */
    public Map<String, String> productStateButBuckets(String productId) {
        String bucket = RedisKeys.product(productId).buyRateLimit("", "");
        String buckets = bucket.substring(0, bucket.length() - 2);
        Map<String, String> state = productState(productId);
        state.keySet().removeIf(key -> key.startsWith(buckets));
        return state;
    }

    public long outboxLength(String productId) {
        return redis().xlen(RedisKeys.product(productId).outbox());
    }

    public RealServers servers() {
        return servers;
    }

    public RedisCommands<String, String> redis() {
        return connection.sync();
    }

    /** Open connections named {@code clientName} (set by {@code redis.client-name}), as Redis counts them. */
    public long redisConnections(String clientName) {
        return redis().clientList().lines().filter(line -> line.contains(" name=" + clientName + " ")).count();
    }

    /** Open connections to {@code database}, as PostgreSQL counts them. */
    public long databaseConnections(RealServers.Database database) {
        String name = database.jdbcUrl().substring(database.jdbcUrl().lastIndexOf('/') + 1);
        return Long.parseLong(queryOne(servers.adminDatabase(), "SELECT count(*) FROM pg_stat_activity WHERE datname = ?", name));
    }

    /** Redis and token keys; add database or Kafka settings per function. */
    public Map<String, Object> redisProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("redis.uri", servers.redisUri());
        properties.put("flashsale.token.current-key", TOKEN_KEY);
        return properties;
    }

    /** The datasource of a (fresh) database, migrated by the function's own Flyway. */
    public static Map<String, Object> databaseProperties(RealServers.Database database) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("datasources.default.url", database.jdbcUrl());
        properties.put("datasources.default.username", database.user());
        properties.put("datasources.default.password", database.password());
        properties.put("flyway.datasources.default.enabled", true);
        return properties;
    }

    /** Runs one SQL statement with parameters on a test database. */
    public static void execute(RealServers.Database database, String sql, Object... parameters) {
        try (java.sql.Connection connection = database.connect();
             java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            statement.execute();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the first row of a query on a test database, as text (null when no row). */
    public static String queryOne(RealServers.Database database, String sql, Object... parameters) {
        try (java.sql.Connection connection = database.connect()) {
            return queryOne(connection, sql, parameters);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same on an open connection: a test that asks thousands of times keeps one (each new one is a new process). */
    public static String queryOne(java.sql.Connection connection, String sql, Object... parameters) {
        try (java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (java.sql.ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Binds positional parameters; an Instant as a timestamp (the driver would not take it as it is). */
    private static void bind(java.sql.PreparedStatement statement, Object... parameters) throws java.sql.SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            statement.setObject(i + 1, value instanceof Instant instant ? java.sql.Timestamp.from(instant) : value);
        }
    }

    public static String newProductId() {
        return "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
