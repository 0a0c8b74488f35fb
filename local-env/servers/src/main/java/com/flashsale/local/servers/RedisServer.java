package com.flashsale.local.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * A real redis-server: the one on the PATH (Debian's 7.x, close to ElastiCache 7) or, when there
 * is none, the Linux binary that the embedded-redis artifact ships (6.2).
 */
public final class RedisServer {

    private static final String SHIPPED_BINARY = "redis-server-6.2.6-v5-linux-amd64";

    private final Path dir;
    private final int port;
    private ChildProcess process;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static RedisServer start(Path dir) {
        RedisServer server = new RedisServer(dir, ChildProcess.freePort());
        server.start();
        return server;
    }

    /** Starts it again on the same port (after {@link #stop()}), with an empty dataset. */
    public synchronized void start() {
        if (process != null && process.alive()) {
            return;
        }
        List<String> command = List.of(binary(dir).toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--protected-mode", "no",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no");
        process = ChildProcess.start("redis-server", command, dir, dir.resolve("redis.log"));
        process.awaitReady(() -> ChildProcess.listening(port), Duration.ofSeconds(20));
    }

    public synchronized void stop() {
        if (process != null) {
            process.stop("TERM", Duration.ofSeconds(10));
            process = null;
        }
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    private static Path binary(Path dir) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(entry.isEmpty() ? "." : entry, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Path extracted = dir.resolve(SHIPPED_BINARY);
        try (InputStream in = RedisServer.class.getResourceAsStream("/" + SHIPPED_BINARY)) {
            if (in == null) {
                throw new IllegalStateException("no redis-server on the PATH and none shipped; install redis-server or set REDIS_URL");
            }
            Files.createDirectories(dir);
            Files.copy(in, extracted, StandardCopyOption.REPLACE_EXISTING);
            if (!extracted.toFile().setExecutable(true)) {
                throw new IllegalStateException("cannot make " + extracted + " executable");
            }
            return extracted;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
