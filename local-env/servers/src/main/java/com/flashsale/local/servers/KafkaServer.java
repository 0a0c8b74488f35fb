package com.flashsale.local.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A real Apache Kafka broker in KRaft mode (one node, broker and controller), in a child JVM whose
 * classpath was resolved by Maven at build time. Stopping and starting it again keeps its data, as
 * a broker restart does.
 */
public final class KafkaServer {

    private final Path dir;
    private final int port;
    private final String classpath;
    private ChildProcess process;

    private KafkaServer(Path dir, int port, String classpath) {
        this.dir = dir;
        this.port = port;
        this.classpath = classpath;
    }

    public static KafkaServer start(Path dir) {
        KafkaServer server = new KafkaServer(dir, ChildProcess.freePort(), brokerClasspath());
        server.configure(ChildProcess.freePort());
        ChildProcess.run("kafka-storage-format", server.java("kafka.tools.StorageTool",
                        "format", "-t", clusterId(), "-c", server.config().toString()),
                dir, dir.resolve("format.log"), Duration.ofMinutes(2));
        server.start();
        return server;
    }

    public synchronized void start() {
        if (process != null && process.alive()) {
            return;
        }
        process = ChildProcess.start("kafka", java("kafka.Kafka", config().toString()), dir, dir.resolve("kafka.out"));
        process.awaitReady(() -> ChildProcess.listening(port), Duration.ofSeconds(90));
    }

    /** A clean shutdown, as in a rolling restart; {@link #kill()} for a crash. */
    public synchronized void stop() {
        if (process != null) {
            process.stop("TERM", Duration.ofSeconds(30));
            process = null;
        }
    }

    public synchronized void kill() {
        if (process != null) {
            process.stop("KILL", Duration.ofSeconds(10));
            process = null;
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    private void configure(int controllerPort) {
        String properties = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=4",
                "auto.create.topics.enable=false",
                // one node: internal topics must not wait for replicas that will never exist
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "group.initial.rebalance.delay.ms=0",
                // the default is a 128 MiB heap buffer for compaction, which nothing here needs
                "log.cleaner.dedupe.buffer.size=2097152",
                "");
        try {
            Files.createDirectories(dir);
            Files.writeString(config(), properties);
            Files.writeString(dir.resolve("log4j.properties"), String.join("\n",
                    "log4j.rootLogger=WARN, file",
                    "log4j.appender.file=org.apache.log4j.FileAppender",
                    "log4j.appender.file.File=" + dir.resolve("kafka.log"),
                    "log4j.appender.file.layout=org.apache.log4j.PatternLayout",
                    "log4j.appender.file.layout.ConversionPattern=%d %p %c{1} %m%n",
                    "log4j.logger.kafka.server.KafkaRaftServer=INFO",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path config() {
        return dir.resolve("server.properties");
    }

    private List<String> java(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx1g", "-XX:+UseParallelGC", "-Djava.awt.headless=true",
                "-Dlog4j.configuration=file:" + dir.resolve("log4j.properties"),
                "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private static String brokerClasspath() {
        try (InputStream in = KafkaServer.class.getResourceAsStream("/kafka-broker.classpath")) {
            if (in == null) {
                throw new IllegalStateException("kafka-broker.classpath missing: build local-env/servers with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String clusterId() {
        byte[] uuid = new byte[16];
        SecureRandom random = new SecureRandom();
        String id;
        do {
            random.nextBytes(uuid);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(uuid);
        } while (id.startsWith("-")); // the storage tool would read it as an option
        return id;
    }
}
