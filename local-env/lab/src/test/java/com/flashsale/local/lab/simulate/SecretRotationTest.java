package com.flashsale.local.lab.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flashsale.local.lab.LabSql;
import com.flashsale.local.runtime.LocalEnvironment;
import com.flashsale.local.runtime.lambda.LocalFunction;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.local.servers.SecretsManagerStandIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docs/reliability.md row 18 on the whole running stack: the functions read the purchase-token keys
 * and the database password from Secrets Manager (a local stand-in the AWS SDK is pointed at), and
 * both rotate under load, with no redeploy. The token keys rotate as the secrets README says (the
 * current key becomes the previous one, a new current one), then a new token container starts (as
 * Lambda scales out) and signs with the new key while the buy container still knows only the old
 * one: it must read the secret again. The password of {@code flashsale_app} (the functions' role,
 * checked with scram on this stack's database) changes as RDS rotates it, the secret follows, and
 * the connections the pools replace must log in with the new one. Meanwhile a steady stream of
 * token and buy requests counts every answer (each a success or a business refusal), and a
 * simulated sale runs to the audit.
 */
@ExtendWith(RealServersExtension.class)
class SecretRotationTest {

    private static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    private static final String KEYS_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:flashsale/token-keys";
    private static final String DATABASE_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!flashsale-app";
    private static final Set<String> REFUSALS = Set.of("SOLD_OUT", "ALREADY_PURCHASED");
    private static final int STREAM_WORKERS = 4;
    private static final int HELD_TOKENS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldAnswerEveryRequest_whenTheTokenKeysAndTheDatabasePasswordRotateUnderLoad(RealServers servers) throws Exception {
        assumeTrue(servers.postgres().isPresent(), "needs the local PostgreSQL (its pg_hba.conf)");
        String firstKey = newKey("k1");
        String secondKey = newKey("k2");
        ExecutorService load = Executors.newFixedThreadPool(STREAM_WORKERS + 1);
        try (SecretsManagerStandIn secretsManager = new SecretsManagerStandIn(KEYS_ARN, keysOf(firstKey, null))) {
            secretsManager.put(DATABASE_ARN, passwordOf("first-password"));
            try (LocalEnvironment environment = LocalEnvironment.start(new LocalEnvironment.Options(REPOSITORY, 0,
                    Duration.ofSeconds(2), 100, 32, Map.of("flashsale.token.keys-secret-arn", KEYS_ARN,
                    "flashsale.database.secret-arn", DATABASE_ARN)), servers);
                 PasswordLogin login = PasswordLogin.require(servers.adminDatabase(), environment.database(), "first-password")) {
                SaleClient client = new SaleClient(environment.baseUrl(), 32);
                String admin = client.login("rotation-admin", true);
                Stream stream = new Stream(client, onSale(client, admin));
                List<Future<?>> workers = new ArrayList<>();
                for (int i = 0; i < STREAM_WORKERS; i++) {
                    workers.add(load.submit(stream::run));
                }
                Future<Simulation.Outcome> sale = load.submit(() -> new Simulation(environment.baseUrl(), 8, System.out)
                        .run(new Simulation.Plan(150, 300, 8, 0.1, 0.05, Duration.ofSeconds(1), Duration.ofSeconds(15), 0.3)));
                await().atMost(Duration.ofSeconds(30)).until(() -> stream.requests.get() >= 100 || stream.failed());
                List<String> held = stream.heldTokens(HELD_TOKENS);
                int keyReads = secretsManager.reads(KEYS_ARN);
                long atRotation = stream.requests.get();
                LocalFunction oldTokenContainer = null;
                try {
                    // Act 1: the token keys rotate; a new token container signs with the new key
                    secretsManager.put(KEYS_ARN, keysOf(secondKey, firstKey));
                    oldTokenContainer = environment.hooks().standIn("token", environment.manifest().load("token"));
                    await().atMost(Duration.ofSeconds(30)).alias("a token of the new key bought")
                            .until(() -> stream.boughtWithK2.get() > 0 || stream.failed());
                    long heldBought = held.stream().filter(stream::buysWith).count();

                    // Act 2: the database password rotates (the role first, then the secret), old connections go
                    int databaseReads = secretsManager.reads(DATABASE_ARN);
                    Timestamp rotatedAt = login.rotate("second-password");
                    secretsManager.put(DATABASE_ARN, passwordOf("second-password"));
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                            .alias("a pool connection logs in with the new password")
                            .until(() -> login.replaceIdleConnectionsOpenedBefore(rotatedAt) > 0 || stream.failed());
                    await().atMost(Duration.ofSeconds(30)).until(() -> stream.requests.get() >= atRotation + 500 || stream.failed());
                    long duringRotation = stream.requests.get() - atRotation;
                    stream.running.set(false);
                    for (Future<?> worker : workers) {
                        worker.get();
                    }
                    Simulation.Outcome outcome = sale.get();
                    List<Audit.Line> audit = Audit.of(outcome, environment, false);
                    Map<String, Long> saleErrors = outcome.buyAnswers().values().stream().flatMap(List::stream)
                            .filter(answer -> answer.startsWith("0") || answer.startsWith("5") || answer.startsWith("401")
                                    || answer.startsWith("403"))
                            .collect(Collectors.groupingBy(answer -> answer, Collectors.counting()));

                    // Assert
                    String figures = String.format("secret rotation on the running stack: %d requests during the rotation "
                                    + "(%d in all), %d errors %s, %d held tokens of the old key bought, %d bought with the new key, "
                                    + "token-key secret reads %d -> %d, database secret reads %d -> %d, "
                                    + "%d connections logged in with the new password; sale: %d buy answers, errors %s%n%s",
                            duringRotation, stream.requests.get(), stream.errors.size(), stream.errors, heldBought,
                            stream.boughtWithK2.get(), keyReads, secretsManager.reads(KEYS_ARN), databaseReads,
                            secretsManager.reads(DATABASE_ARN), login.connectionsSince(rotatedAt),
                            outcome.buyAnswers().values().stream().mapToLong(List::size).sum(), saleErrors, Audit.render(audit));
                    System.out.println(figures);
                    assertThat(stream.errors).as(figures).isEmpty();
                    assertThat(saleErrors).as(figures).isEmpty();
                    assertThat(duringRotation).as(figures).isGreaterThanOrEqualTo(500);
                    assertThat(heldBought).as(figures).isEqualTo(HELD_TOKENS);
                    assertThat(stream.boughtWithK2.get()).as(figures).isPositive();
                    // the new container's read at its cold start, and buy's on a token of the unknown key
                    assertThat(secretsManager.reads(KEYS_ARN)).as(figures).isGreaterThanOrEqualTo(keyReads + 2);
                    assertThat(secretsManager.reads(DATABASE_ARN)).as(figures).isGreaterThan(databaseReads);
                    assertThat(login.connectionsSince(rotatedAt)).as(figures).isPositive();
                    assertThat(audit).as(figures).allMatch(Audit.Line::passed);
                } finally {
                    stream.running.set(false);
                    if (oldTokenContainer != null) {
                        oldTokenContainer.close();
                    }
                }
            }
        } finally {
            load.shutdownNow();
        }
    }

    /** A product on sale now with far more stock than the stream buys; its id. */
    private static String onSale(SaleClient client, String admin) {
        Instant now = Instant.now();
        SaleClient.Reply created = client.post("/admin/products", admin, Map.of("name", "Rotation phone", "priceCents", 100,
                "stock", 100_000, "startsAt", now.minusSeconds(1).toString(), "endsAt", now.plusSeconds(3600).toString(),
                "limitPerUser", 1));
        assertThat(created.ok()).as("create: %s", created.body()).isTrue();
        String productId = created.text("productId");
        assertThat(client.post("/admin/products/" + productId + "/preload", admin, Map.of()).ok()).isTrue();
        return productId;
    }

    private static String newKey(String id) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return id + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static String keysOf(String current, String previous) {
        return "{\"current\":\"" + current + "\"" + (previous == null ? "" : ",\"previous\":\"" + previous + "\"") + "}";
    }

    private static String passwordOf(String password) {
        return "{\"username\":\"" + LocalEnvironment.APP_ROLE + "\",\"password\":\"" + password + "\"}";
    }

    /** The key id in a token's header. */
    private static String keyId(String token) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.')))).path("kid").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Token then buy, again and again, each time as a new user: every answer counted, and any that is
     * neither a success nor a business refusal kept.
     */
    private static final class Stream {

        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong requests = new AtomicLong();
        final AtomicLong boughtWithK2 = new AtomicLong();
        final Queue<String> errors = new ConcurrentLinkedQueue<>();
        private final AtomicLong users = new AtomicLong();
        private final SaleClient client;
        private final String productId;
        private final Map<String, String> jwtOfToken = new ConcurrentHashMap<>();

        Stream(SaleClient client, String productId) {
            this.client = client;
            this.productId = productId;
        }

        void run() {
            while (running.get() && !failed()) {
                String token = token();
                if (token != null && buysWith(token) && keyId(token).equals("k2")) {
                    boughtWithK2.incrementAndGet();
                }
            }
        }

        boolean failed() {
            return !errors.isEmpty();
        }

        /** Tokens of new users, to be spent later. */
        List<String> heldTokens(int count) {
            List<String> tokens = new ArrayList<>();
            while (tokens.size() < count) {
                String token = token();
                assertThat(token).as("a token, errors %s", errors).isNotNull();
                tokens.add(token);
            }
            return tokens;
        }

        /** A new user's token, null when refused. */
        private String token() {
            String userId = "rotation-" + users.incrementAndGet();
            String jwt = client.login(userId, false);
            SaleClient.Reply reply = counted("token", client.call("POST", "/api/flash-sale/token", jwt,
                    Map.of("productId", productId), headersOf(userId)));
            String token = reply.ok() ? reply.text("token") : null;
            if (token != null) {
                jwtOfToken.put(token, userId + " " + jwt);
            }
            return token;
        }

        /** Spends a token of {@link #token()}: true when the purchase was accepted. */
        boolean buysWith(String token) {
            String[] user = jwtOfToken.remove(token).split(" ");
            Map<String, String> headers = new HashMap<>(headersOf(user[0]));
            headers.put("Idempotency-Key", UUID.randomUUID().toString());
            return counted("buy " + keyId(token), client.call("POST", "/api/flash-sale/buy", user[1],
                    Map.of("productId", productId, "quantity", 1, "token", token), headers)).status() == 202;
        }

        private SaleClient.Reply counted(String what, SaleClient.Reply reply) {
            requests.incrementAndGet();
            if (!reply.ok() && !REFUSALS.contains(reply.error())) {
                errors.add(what + ": " + reply.status() + " " + reply.error());
            }
            return reply;
        }

        /** Each user from an address of its own, as API Gateway sees a crowd (loopback, never a real target). */
        private static Map<String, String> headersOf(String userId) {
            int n = Math.abs(userId.hashCode());
            return Map.of("X-Forwarded-For", "127." + (n >> 16 & 0xff) + "." + (n >> 8 & 0xff) + "." + (n & 0xff));
        }
    }

    /**
     * The functions' role logs in to this stack's database with a password (scram), as in RDS with a
     * secret; other databases of the server keep their trust. Undone at close.
     */
    private static final class PasswordLogin implements AutoCloseable {

        private final RealServers.Database admin;
        private final String database;
        private final Path hba;
        private final String original;

        private PasswordLogin(RealServers.Database admin, String database, Path hba, String original) {
            this.admin = admin;
            this.database = database;
            this.hba = hba;
            this.original = original;
        }

        static PasswordLogin require(RealServers.Database admin, RealServers.Database stack, String password) throws Exception {
            String url = stack.jdbcUrl();
            int query = url.indexOf('?');
            String database = url.substring(url.lastIndexOf('/') + 1, query < 0 ? url.length() : query);
            String role = LocalEnvironment.APP_ROLE;
            try (Connection c = admin.connect()) {
                LabSql.update(c, "ALTER ROLE " + role + " PASSWORD '" + password + "'");
                Path hba = Path.of(LabSql.strings(c, "SHOW hba_file").get(0));
                String original = Files.readString(hba);
                Files.writeString(hba, "host " + database + " " + role + " 127.0.0.1/32 scram-sha-256\nhost " + database + " "
                        + role + " ::1/128 scram-sha-256\n" + original, StandardCharsets.UTF_8);
                LabSql.update(c, "SELECT pg_reload_conf()");
                PasswordLogin login = new PasswordLogin(admin, database, hba, original);
                login.assertWrongPasswordRefused(stack);
                return login;
            }
        }

        /** The rule is in force: the role with a wrong password is refused. */
        private void assertWrongPasswordRefused(RealServers.Database stack) {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (Connection ignored = DriverManager.getConnection(stack.jdbcUrl(), LocalEnvironment.APP_ROLE,
                        "wrong-password")) {
                    return false;
                } catch (SQLException e) {
                    return "28P01".equals(e.getSQLState());
                }
            });
        }

        /** Changes the role's password; the server's time of the change. */
        Timestamp rotate(String password) throws SQLException {
            try (Connection c = admin.connect()) {
                LabSql.update(c, "ALTER ROLE " + LocalEnvironment.APP_ROLE + " PASSWORD '" + password + "'");
                return LabSql.first(c, Timestamp.class, "SELECT clock_timestamp()").orElseThrow();
            }
        }

        /**
         * Ends the role's connections opened before the rotation that sit idle (for more than a second,
         * so the pool checks them before lending them again), as a pool's maximum lifetime does, sooner.
         *
         * @return the role's connections opened since the rotation
         */
        long replaceIdleConnectionsOpenedBefore(Timestamp rotatedAt) throws SQLException {
            try (Connection c = admin.connect()) {
                LabSql.update(c, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ? AND datname = ? "
                        + "AND backend_start < ? AND state = 'idle' AND state_change < clock_timestamp() - interval '1 second'",
                        LocalEnvironment.APP_ROLE, database, rotatedAt);
            }
            return connectionsSince(rotatedAt);
        }

        long connectionsSince(Timestamp since) throws SQLException {
            try (Connection c = admin.connect()) {
                return LabSql.first(c, Long.class, "SELECT count(*) FROM pg_stat_activity WHERE usename = ? AND datname = ? "
                        + "AND backend_start > ?", LocalEnvironment.APP_ROLE, database, since).orElseThrow();
            }
        }

        @Override
        public void close() throws Exception {
            Files.writeString(hba, original, StandardCharsets.UTF_8);
            try (Connection c = admin.connect()) {
                LabSql.update(c, "SELECT pg_reload_conf()");
            }
        }
    }
}
