package com.flashsale.shared.secrets;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.local.servers.SecretsManagerStandIn;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.micronaut.context.ApplicationContext;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database password rotates under load (as RDS rotates its managed secret every 7 days): the
 * role's password changes, the secret follows, the pool replaces its connections. The function
 * keeps answering with no redeploy: a refused password is read again from the secret. Secrets
 * Manager is a local stand-in the AWS SDK is pointed at (its endpoint override); the password is
 * checked by the local PostgreSQL (scram for this role only).
 */
@ExtendWith(RealServersExtension.class)
class DatabasePasswordRotationTest {

    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-rotation";
    private static final int WORKERS = 4;

    @Test
    void shouldKeepServing_whenThePasswordRotatesUnderLoad(RealServers servers) throws Exception {
        Assumptions.assumeTrue(servers.postgres().isPresent(), "needs the local PostgreSQL (its pg_hba.conf)");
        RealServers.Database database = servers.freshDatabase("rotation");
        String role = "rotating_" + ProcessHandle.current().pid();
        requirePassword(servers.adminDatabase(), role, "first-password");
        ExecutorService load = Executors.newFixedThreadPool(WORKERS);
        try (SecretsManagerStandIn secretsManager = new SecretsManagerStandIn(ARN, secretOf(role, "first-password"));
             ApplicationContext context = ApplicationContext.run(Map.of(
                "datasources.default.url", database.jdbcUrl(), "datasources.default.username", role,
                "datasources.default.maximum-pool-size", WORKERS, "datasources.default.allow-pool-suspension", true,
                "flashsale.database.secret-arn", ARN))) {
            DataSource dataSource = DelegatingDataSource.unwrapDataSource(context.getBean(DataSource.class));
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong requests = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            AtomicReference<Throwable> firstError = new AtomicReference<>();
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                workers.add(load.submit(() -> {
                    while (running.get()) {
                        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                            s.execute("SELECT 1");
                            requests.incrementAndGet();
                        } catch (SQLException | RuntimeException e) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, e);
                        }
                    }
                }));
            }
            HikariPoolMXBean pool = dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
            // the pool full first: a connection still opening at the rotation would log in with the old
            // password and stay (PostgreSQL keeps a session whose role's password changes)
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> requests.get() >= 500 && pool.getTotalConnections() == WORKERS || errors.get() > 0);
            assertThat(firstError.get()).isNull();

            // Act: rotate as Secrets Manager's rotation does (database first, then the secret's
            // current version), and let the pool replace every connection
            java.sql.Timestamp rotatedAt = alterPassword(servers.adminDatabase(), role, "second-password");
            secretsManager.set(secretOf(role, "second-password"));
            long atRotation = requests.get();
            pool.softEvictConnections();
            await().atMost(Duration.ofSeconds(60))
                    .alias("requests " + atRotation + " at the rotation, secret reads " + secretsManager.reads())
                    .until(() -> errors.get() > 0 || requests.get() >= atRotation + 200
                            && connectionsSince(servers.adminDatabase(), role, rotatedAt) >= WORKERS);
            running.set(false);
            for (Future<?> worker : workers) {
                worker.get();
            }

            // Assert
            System.out.printf("rotation under load: %d requests, %d after the rotation, %d errors, %d secret reads%n",
                    requests.get(), requests.get() - atRotation, errors.get(), secretsManager.reads());
            assertThat(firstError.get()).isNull();
            assertThat(secretsManager.reads()).isGreaterThanOrEqualTo(2);
        } finally {
            load.shutdownNow();
        }
    }

    private static String secretOf(String user, String password) {
        return "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
    }

    /** The role logs in with a password (scram), the other users keep the local server's trust. */
    private static void requirePassword(RealServers.Database admin, String role, String password) throws Exception {
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
            Path hba;
            try (ResultSet rs = s.executeQuery("SHOW hba_file")) {
                rs.next();
                hba = Path.of(rs.getString(1));
            }
            String rule = "host all " + role + " 127.0.0.1/32 scram-sha-256\nhost all " + role + " ::1/128 scram-sha-256\n";
            Files.writeString(hba, rule + Files.readString(hba));
            s.execute("SELECT pg_reload_conf()");
        }
    }

    /** Changes the role's password; returns the server's time of the change. */
    private static java.sql.Timestamp alterPassword(RealServers.Database admin, String role, String password) throws SQLException {
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + role + " PASSWORD '" + password + "'");
            try (ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
                rs.next();
                return rs.getTimestamp(1);
            }
        }
    }

    /** Connections of the role opened after the rotation (the ones made with the new password). */
    private static long connectionsSince(RealServers.Database admin, String role, java.sql.Timestamp since) throws SQLException {
        try (Connection c = admin.connect();
             var s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE usename = ? AND backend_start > ?")) {
            s.setString(1, role);
            s.setTimestamp(2, since);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
