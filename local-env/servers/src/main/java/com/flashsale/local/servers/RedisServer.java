package com.flashsale.local.servers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real redis-server: the one on the PATH (Debian's 7.x, close to ElastiCache 7) or, when there
 * is none, the one that the embedded-redis artifact ships (6.2); see {@link ServerBinaries}.
 */
public final class RedisServer {

    private final Path dir;
    private final Path binary;
    private final int port;
    private ChildProcess process;

    private RedisServer(Path dir, Path binary, int port) {
        this.dir = dir;
        this.binary = binary;
        this.port = port;
    }

    public static RedisServer start(Path dir) {
        return start(dir, ServerBinaries.fromEnvironment(System.getenv()));
    }

    static RedisServer start(Path dir, ServerBinaries binaries) {
        RedisServer server = new RedisServer(dir, binaries.redisServer(), ChildProcess.freePort());
        server.start();
        return server;
    }

    /** Starts it again on the same port (after {@link #stop()}), with an empty dataset. */
    public synchronized void start() {
        if (process != null && process.alive()) {
            return;
        }
        List<String> command = List.of(binary.toString(),
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
}
