package com.flashsale.local.servers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real redis-server: the one on the PATH (Debian's 7.x, close to ElastiCache 7) or, when there
 * is none, the one that the embedded-redis artifact ships (6.2); see {@link ServerBinaries}.
 */
public final class RedisServer {

    private final Path dir;
    private final Path binary;
    private final int port;
    private final List<String> options;
    private ChildProcess process;

    private RedisServer(Path dir, Path binary, int port, List<String> options) {
        this.dir = dir;
        this.binary = binary;
        this.port = port;
        this.options = options;
    }

    public static RedisServer start(Path dir) {
        return start(dir, ServerBinaries.fromEnvironment(System.getenv()));
    }

    static RedisServer start(Path dir, ServerBinaries binaries) {
        return start(dir, binaries.redisServer(), ChildProcess.freePort(), List.of());
    }

    /** One more server with options of its own (a cluster node's). */
    static RedisServer start(Path dir, Path binary, int port, List<String> options) {
        RedisServer server = new RedisServer(dir, binary, port, options);
        server.start();
        return server;
    }

    /** Starts it again on the same port (after {@link #stop()}), with an empty dataset. */
    public synchronized void start() {
        if (process != null && process.alive()) {
            return;
        }
        // noeviction, as ElastiCache is set: a full Redis refuses writes rather than drop a sale's keys
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--protected-mode", "no",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                "--maxmemory-policy", "noeviction"));
        command.addAll(options);
        process = ChildProcess.start("redis-server", command, dir, dir.resolve("redis.log"));
        process.awaitReady(() -> ChildProcess.listening(port), Duration.ofSeconds(20));
    }

    /** SIGKILL: the process dies at once, as a machine that fails (nothing flushed, no goodbye). */
    public synchronized void kill() {
        if (process != null) {
            process.stop("KILL", Duration.ofSeconds(10));
            process = null;
        }
    }

    public synchronized boolean running() {
        return process != null && process.alive();
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
}
