package com.flashsale.local.servers;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real PostgreSQL from the machine's server binaries (Debian's postgresql package) or, when it
 * has none, from the ones zonky's artifact ships (see {@link ServerBinaries}). initdb and postgres
 * refuse to run as root; as root they run in a user namespace of their own ({@code unshare -U}),
 * where they are not.
 */
public final class PostgresServer {

    public static final String USER = "flashsale";

    private final Path dir;
    private final Path bin;
    private final int port;
    private ChildProcess process;

    private PostgresServer(Path dir, Path bin, int port) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
    }

    public static PostgresServer start(Path dir) {
        return start(dir, ServerBinaries.fromEnvironment(System.getenv()));
    }

    static PostgresServer start(Path dir, ServerBinaries binaries) {
        PostgresServer server = new PostgresServer(dir, binaries.postgresBin(), ChildProcess.freePort());
        ChildProcess.run("initdb", asUnprivileged(List.of(server.bin.resolve("initdb").toString(),
                        "-D", server.data().toString(), "-U", USER, "--auth=trust", "-E", "UTF8",
                        "--locale=C", "--no-sync", "--no-instructions")),
                dir, dir.resolve("initdb.log"), Duration.ofMinutes(2));
        server.start();
        return server;
    }

    /** Starts it again on the same port and data (after {@link #stop()}). */
    public synchronized void start() {
        if (process != null && process.alive()) {
            return;
        }
        // durability is traded for speed: this server holds test and demo data only
        process = ChildProcess.start("postgres", asUnprivileged(List.of(bin.resolve("postgres").toString(),
                "-D", data().toString(), "-p", Integer.toString(port), "-k", dir.toString(),
                "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300",
                "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "shared_buffers=256MB")),
                dir, dir.resolve("postgres.log"));
        process.awaitReady(this::accepting, Duration.ofSeconds(60));
    }

    /** Fast shutdown: open connections are cut, as when a database fails over. */
    public synchronized void stop() {
        if (process != null) {
            process.stop("INT", Duration.ofSeconds(20));
            process = null;
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private boolean accepting() {
        try (Connection ignored = DriverManager.getConnection(jdbcUrl("postgres"), USER, "")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private static List<String> asUnprivileged(List<String> command) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("unshare", "-U"));
        wrapped.addAll(command);
        return wrapped;
    }
}
