package com.flashsale.local.servers;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RealServersExtension.class)
class RedisClusterTest {

    @Test
    void shouldServeEverySlotFromThreeMastersEachWithAReplica_andNeverEvict(RedisCluster cluster) {
        RedisClient client = RedisClient.create();
        try {
            int masters = 0;
            int replicasInSync = 0;
            for (int port : cluster.ports()) {
                try (var node = client.connect(RedisURI.create("127.0.0.1", port))) {
                    assertThat(node.sync().clusterInfo()).contains("cluster_state:ok", "cluster_slots_assigned:" + SlotHash.SLOT_COUNT);
                    assertThat(node.sync().configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "noeviction");
                    String replication = node.sync().info("replication");
                    masters += replication.contains("role:master") ? 1 : 0;
                    replicasInSync += replication.contains("master_link_status:up") ? 1 : 0;
                }
            }
            assertThat(masters).isEqualTo(3);
            assertThat(replicasInSync).isEqualTo(3);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void shouldServeTheKeyAgainFromTheReplica_whenItsMasterIsKilled(RedisCluster cluster) {
        RedisClusterClient client = RedisClusterClient.create(cluster.uris().stream().map(RedisURI::create).toList());
        try (var connection = client.connect()) {
            String key = "fs:{p:failover-test}:stock";
            connection.sync().set(key, "7");
            // WAIT: the write is on the replica before the kill, so this one survives the failover
            assertThat(connection.getConnection("127.0.0.1", cluster.masterPortOf(key)).sync().waitForReplication(1, 2000))
                    .isEqualTo(1);

            RedisCluster.Failover failover = cluster.killMasterOf(key);

            assertThat(failover.newMasterPort()).isNotEqualTo(failover.killedPort());
            assertThat(failover.tookOver()).isLessThan(Duration.ofSeconds(15));
            client.refreshPartitions();
            assertThat(connection.sync().get(key)).isEqualTo("7");
        } finally {
            cluster.restartKilled();
            client.shutdown();
        }
        assertThat(cluster.ports()).hasSize(6);
    }
}
