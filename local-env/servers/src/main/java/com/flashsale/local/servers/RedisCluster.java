package com.flashsale.local.servers;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A Redis Cluster of 3 masters and 3 replicas, the topology of ElastiCache in cluster mode, made of
 * the same redis-server binary as {@link RedisServer}. It is created with CLUSTER ADDSLOTS, MEET and
 * REPLICATE (what {@code redis-cli --cluster create} sends; the shipped binaries have no redis-cli),
 * and is ready when every node says {@code cluster_state:ok} and every replica
 * {@code master_link_status:up}.
 *
 * <p>{@code cluster-node-timeout 1000}: a killed master's replica takes over within seconds;
 * {@code repl-diskless-sync-delay 0}: a replica is in sync as soon as it is attached.
 */
public final class RedisCluster {

    private static final int MASTERS = 3;
    private static final int BUS_PORT_OFFSET = 10_000;
    private static final List<String> NODE_OPTIONS = List.of("--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000",
            "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0");
    private static final Duration READY = Duration.ofSeconds(30);

    private final List<RedisServer> nodes;
    private final RedisClient client = RedisClient.create();

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = nodes;
    }

    /** What a failover did: the master killed, the replica now serving its slots, and how long that took. */
    public record Failover(int killedPort, int newMasterPort, Duration tookOver) {
    }

    static RedisCluster start(Path dir, ServerBinaries binaries) {
        Path binary = binaries.redisServer();
        List<RedisServer> nodes = new ArrayList<>();
        RedisCluster cluster = new RedisCluster(nodes);
        try {
            for (int i = 0; i < 2 * MASTERS; i++) {
                int port = ChildProcess.freePortPair(BUS_PORT_OFFSET);
                nodes.add(RedisServer.start(dir.resolve("node-" + port), binary, port, NODE_OPTIONS));
            }
            cluster.create();
            return cluster;
        } catch (RuntimeException e) {
            cluster.stop();
            throw e;
        }
    }

    private void create() {
        List<String> ids = nodes.stream().map(node -> on(node, RedisCommands::clusterMyId)).toList();
        for (int m = 0; m < MASTERS; m++) {
            int[] slots = IntStream.range(SlotHash.SLOT_COUNT * m / MASTERS, SlotHash.SLOT_COUNT * (m + 1) / MASTERS).toArray();
            on(nodes.get(m), redis -> redis.clusterAddSlots(slots));
        }
        for (RedisServer node : nodes.subList(1, nodes.size())) {
            on(nodes.get(0), redis -> redis.clusterMeet("127.0.0.1", node.port()));
        }
        ChildProcess.await("every node knows the others", READY,
                () -> nodes.stream().allMatch(node -> partitions(node).size() == nodes.size()), this::describe);
        for (int r = MASTERS; r < nodes.size(); r++) {
            String master = ids.get(r - MASTERS);
            on(nodes.get(r), redis -> redis.clusterReplicate(master));
        }
        awaitHealthy();
    }

    /** Every running node says the cluster is ok, and every running replica is in sync with its master. */
    public void awaitHealthy() {
        ChildProcess.await("a healthy Redis Cluster", READY, this::healthy, this::describe);
    }

    private boolean healthy() {
        try {
            return allOk();
        } catch (RuntimeException nodeNotAnswering) {
            return false;
        }
    }

    private boolean allOk() {
        for (RedisServer node : running()) {
            if (!on(node, RedisCommands::clusterInfo).contains("cluster_state:ok")) {
                return false;
            }
            String replication = on(node, redis -> redis.info("replication"));
            if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
                return false;
            }
        }
        return true;
    }

    /**
     * SIGKILLs the master holding the key's slot and waits until one of its replicas serves that
     * slot and the cluster is ok again; the killed node stays down until {@link #restartKilled()}.
     */
    public Failover killMasterOf(String key) {
        int slot = SlotHash.getSlot(key);
        RedisServer master = masterOf(slot);
        long killed = System.nanoTime();
        master.kill();
        return new Failover(master.port(), awaitTakeover(slot, master).port(), Duration.ofNanos(System.nanoTime() - killed));
    }

    /**
     * As {@link #killMasterOf(String)}, but the master's replica is told not to fail over by itself and is
     * promoted ({@code CLUSTER FAILOVER FORCE}: elected by the other masters) {@code promoteAfter} the kill: a failover at the pace
     * of the operator or of ElastiCache (tens of seconds) rather than of {@code cluster-node-timeout}.
     */
    public Failover killMasterOf(String key, Duration promoteAfter) throws InterruptedException {
        int slot = SlotHash.getSlot(key);
        RedisServer master = masterOf(slot);
        RedisServer replica = replicaOf(master);
        on(replica, redis -> redis.configSet("cluster-replica-no-failover", "yes"));
        long killed = System.nanoTime();
        master.kill();
        try {
            Thread.sleep(promoteAfter.toMillis());
            on(replica, redis -> redis.clusterFailover(true, false));
        } finally {
            on(replica, redis -> redis.configSet("cluster-replica-no-failover", "no"));
        }
        return new Failover(master.port(), awaitTakeover(slot, master).port(), Duration.ofNanos(System.nanoTime() - killed));
    }

    private RedisServer awaitTakeover(int slot, RedisServer killed) {
        ChildProcess.await("slot " + slot + " served by a replica", READY, () -> healthy() && masterOfOrEmpty(slot)
                .filter(node -> node != killed).isPresent(), this::describe);
        return masterOf(slot);
    }

    private RedisServer replicaOf(RedisServer master) {
        String masterId = on(master, RedisCommands::clusterMyId);
        return partitions(master).stream()
                .filter(seen -> masterId.equals(seen.getSlaveOf()))
                .flatMap(seen -> running().stream().filter(node -> node.port() == seen.getUri().getPort()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no replica of :" + master.port() + ": " + describe()));
    }

    /** Starts the killed nodes again: each comes back empty and joins as a replica of whoever took its place. */
    public void restartKilled() {
        nodes.stream().filter(node -> !node.running()).forEach(RedisServer::start);
        awaitHealthy();
    }

    /** The port of the master that holds the key's slot now. */
    public int masterPortOf(String key) {
        return masterOf(SlotHash.getSlot(key)).port();
    }

    /** The command statistics of the master that holds the key's slot now (the product's shard, say). */
    public CommandStats commandStatsOfMasterOf(String key) {
        return CommandStats.parse(on(masterOf(SlotHash.getSlot(key)), redis -> redis.info("commandstats")));
    }

    /** The node serving a slot, as the running nodes see it. */
    private RedisServer masterOf(int slot) {
        return masterOfOrEmpty(slot).orElseThrow(() -> new IllegalStateException("no master for slot " + slot + ": " + describe()));
    }

    private Optional<RedisServer> masterOfOrEmpty(int slot) {
        for (RedisServer node : running()) {
            for (RedisClusterNode seen : partitions(node)) {
                if (seen.is(RedisClusterNode.NodeFlag.MYSELF) && seen.is(RedisClusterNode.NodeFlag.UPSTREAM) && seen.hasSlot(slot)) {
                    return Optional.of(node);
                }
            }
        }
        return Optional.empty();
    }

    private Partitions partitions(RedisServer node) {
        String nodesLines = on(node, RedisCommands::clusterNodes);
        return ClusterPartitionParser.parse(nodesLines);
    }

    private List<RedisServer> running() {
        return nodes.stream().filter(RedisServer::running).toList();
    }

    private <T> T on(RedisServer node, Function<RedisCommands<String, String>, T> command) {
        RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(node.port()).withTimeout(Duration.ofSeconds(2)).build();
        try (var connection = client.connect(uri)) {
            return command.apply(connection.sync());
        }
    }

    private String describe() {
        return running().stream().map(node -> {
            try {
                return node.port() + ": " + on(node, RedisCommands::clusterNodes).strip().replace("\n", " | ");
            } catch (RuntimeException e) {
                return node.port() + ": " + e.getMessage();
            }
        }).collect(Collectors.joining("\n"));
    }

    /** Every node's address, for a client's seed list ({@code redis.uris}). */
    public List<String> uris() {
        return nodes.stream().map(RedisServer::uri).toList();
    }

    public List<Integer> ports() {
        return nodes.stream().map(RedisServer::port).toList();
    }

    void stop() {
        nodes.forEach(RedisServer::stop);
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
