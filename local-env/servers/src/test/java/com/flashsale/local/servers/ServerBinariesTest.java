package com.flashsale.local.servers;

import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The path a machine with nothing installed takes: servers from the binaries that Maven artifacts
 * ship, forced even on a machine that has its own, unpacked into a cache of this test's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerBinariesTest {

    private Path dir;
    private Path cache;
    private ServerBinaries shipped;

    @BeforeAll
    void unpackIntoAFreshCache() throws Exception {
        Path base = Files.createDirectories(Path.of(System.getenv().getOrDefault("FLASHSALE_WORK_DIR",
                System.getProperty("java.io.tmpdir"))));
        dir = Files.createTempDirectory(base, "server-binaries-test-");
        cache = dir.resolve("cache");
        shipped = ServerBinaries.shipped(cache);
    }

    @AfterAll
    void deleteAll() {
        RealServers.deleteTree(dir);
    }

    @Test
    void shouldAnswerSqlFromTheShippedPostgres_evenWhenTheMachineHasOne() throws Exception {
        long started = System.nanoTime();
        PostgresServer postgres = PostgresServer.start(dir.resolve("postgres"), shipped);
        System.out.printf("shipped PostgreSQL (unpack if needed, initdb, start) in %d ms%n",
                (System.nanoTime() - started) / 1_000_000);
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), PostgresServer.USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE stock (product text PRIMARY KEY, units int NOT NULL CHECK (units >= 0))");
            statement.execute("INSERT INTO stock VALUES ('phone', 3), ('case', 0)");
            try (ResultSet rows = statement.executeQuery(
                    "SELECT sum(units), current_setting('server_version'), "
                            + "(SELECT setting FROM pg_config WHERE name = 'BINDIR') FROM stock")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(3);
                assertThat(rows.getString(2)).startsWith("16.");
                assertThat(Path.of(rows.getString(3)).toRealPath()).isEqualTo(shipped.postgresBin().toRealPath());
            }
        } finally {
            postgres.stop();
        }
    }

    @Test
    void shouldAnswerPingFromTheShippedRedis_evenWhenTheMachineHasOne() {
        RedisServer redis = RedisServer.start(dir.resolve("redis"), shipped);
        RedisClient client = RedisClient.create(redis.uri());
        try (var connection = client.connect()) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");
            String info = connection.sync().info("server");
            assertThat(info).contains("redis_version:6.2.");
            assertThat(info).contains("executable:" + cache.toAbsolutePath());
        } finally {
            client.shutdown();
            redis.stop();
        }
    }

    @Test
    void shouldUnpackPostgresOnce_whenStartedAgainFromTheSameCache() throws Exception {
        Path bin = shipped.postgresBin();
        Path marker = Files.createFile(bin.resolve("unpacked-before"));

        Path again = ServerBinaries.shipped(cache).postgresBin();

        assertThat(again).isEqualTo(bin);
        assertThat(marker).exists();
        Files.delete(marker);
    }

    @Test
    void shouldIgnorePgBinAndPath_whenTheShippedBinariesAreChosen() {
        ServerBinaries binaries = ServerBinaries.fromEnvironment(Map.of(ServerBinaries.CHOICE, "shipped",
                "PG_BIN", "/usr/lib/postgresql/15/bin", "PATH", "/usr/bin:/bin", "FLASHSALE_WORK_DIR", dir.toString()));

        assertThat(binaries.postgresBin()).startsWith(cache);
        assertThat(binaries.redisServer()).startsWith(cache);
    }

    @Test
    void shouldTakePgBin_whenTheMachinesBinariesComeFirst() {
        ServerBinaries binaries = ServerBinaries.fromEnvironment(Map.of("PG_BIN", "/opt/pg/bin",
                "FLASHSALE_WORK_DIR", dir.toString()));

        assertThat(binaries.postgresBin()).isEqualTo(Path.of("/opt/pg/bin"));
    }

    @Test
    void shouldRefuseTheChoice_whenItIsNeitherAutoNorShipped() {
        assertThatThrownBy(() -> ServerBinaries.fromEnvironment(Map.of(ServerBinaries.CHOICE, "docker")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auto or shipped");
    }

    @Test
    void shouldNameThePlatformAsTheArchivesDo_forLinuxAndMacOnIntelAndArm() {
        assertThat(ServerBinaries.platform("Linux", "amd64")).isEqualTo("linux-x86_64");
        assertThat(ServerBinaries.platform("Linux", "aarch64")).isEqualTo("linux-arm_64");
        assertThat(ServerBinaries.platform("Mac OS X", "x86_64")).isEqualTo("darwin-x86_64");
        assertThat(ServerBinaries.platform("Mac OS X", "aarch64")).isEqualTo("darwin-arm_64");
    }

    @Test
    void shouldCacheUnderTheWorkDirectory_whenOneIsSet_elseUnderTheUsersCache() {
        assertThat(ServerBinaries.defaultCache(Map.of("FLASHSALE_WORK_DIR", "/w")))
                .isEqualTo(Path.of("/w/cache"));
        assertThat(ServerBinaries.defaultCache(Map.of("XDG_CACHE_HOME", "/c")))
                .isEqualTo(Path.of("/c/flashsale"));
        assertThat(ServerBinaries.defaultCache(Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "flashsale"));
    }
}
