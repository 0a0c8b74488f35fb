package com.flashsale.shared.redis;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.local.servers.RedisCluster;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/reliability.md row 15, the function's side: its cluster connection follows a replica promoted
 * long after its master died ({@link ReconnectDelay}), while the old master is still down.
 */
@ExtendWith(RealServersExtension.class)
class RedisConnectionFailoverTest {

    /** Past Lettuce's reconnect attempt at 4.1 s, so that its default backoff waits until 8.2 s. */
    private static final Duration PROMOTED_AFTER = Duration.ofSeconds(5);

    @Test
    void shouldServeTheSlotFromTheReplica_withinTwoSecondsOfItsPromotion_whileTheKilledMasterIsStillDown(RealServers servers)
            throws Exception {
        RedisCluster cluster = servers.redisCluster();
        String key = RedisKeys.product(RedisFixture.newProductId()).stock();
        try (ApplicationContext context = ApplicationContext.run(Map.of("redis.uris", String.join(",", cluster.uris())))) {
            RedisConnection redis = context.getBean(RedisConnection.class);
            redis.commands().set(key, "7").get(2, TimeUnit.SECONDS);
            // WAIT: the write is on the replica before the kill, so it survives the failover
            assertThat(redis.commands().waitForReplication(1, 2000).get(3, TimeUnit.SECONDS)).isEqualTo(1);

            cluster.killMasterOf(key, PROMOTED_AFTER);
            try {
                await("the key read through the function's connection").atMost(Duration.ofSeconds(2))
                        .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                        .until(() -> "7".equals(redis.commands().get(key).get(200, TimeUnit.MILLISECONDS)));
            } finally {
                cluster.restartKilled();
            }
        }
    }
}
