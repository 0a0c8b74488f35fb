package com.flashsale.shared.redis;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import io.micronaut.context.ApplicationContext;
import io.micronaut.crac.OrderedResource;
import io.micronaut.crac.resources.redis.RedisNamedConfigResource;
import io.micronaut.crac.test.CheckpointSimulator;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/reliability.md row 14: the function's Redis connection is closed before a SnapStart checkpoint and
 * works again after the restore, for the SaleGate and every other holder of {@link RedisConnection}.
 */
@MicronautTest
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisConnectionRestoreTest implements TestPropertyProvider {

    private final String clientName = "crac-" + RedisFixture.newProductId();
    private final RealServers servers;
    private final RedisFixture fixture;

    @Inject
    ApplicationContext context;

    RedisConnectionRestoreTest(RealServers servers) {
        this.servers = servers;
        this.fixture = new RedisFixture(servers);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of("redis.uri", servers.redisUri(), "redis.client-name", clientName);
    }

    @AfterAll
    void closeFixture() {
        fixture.close();
    }

    @Test
    void shouldCloseTheConnection_beforeCheckpoint_andServeTheGateAgain_afterRestore() {
        String productId = fixture.productOnSale(10, 1).productId();
        SaleGate gate = context.getBean(SaleGate.class);
        CheckpointSimulator simulator = context.getBean(CheckpointSimulator.class);
        assertThat(probedStock(gate, productId)).isEqualTo(10);
        assertThat(connections(fixture, clientName)).isEqualTo(1);

        simulator.runBeforeCheckpoint();
        await().atMost(Duration.ofSeconds(10)).until(() -> connections(fixture, clientName) == 0);

        simulator.runAfterRestore();
        assertThat(probedStock(gate, productId)).isEqualTo(10);
        assertThat(connections(fixture, clientName)).isEqualTo(1);
        // ours replaces micronaut-crac's, which would re-create (connect) beans to destroy them
        assertThat(context.getBeansOfType(OrderedResource.class)).noneMatch(RedisNamedConfigResource.class::isInstance);
    }

    private static Long probedStock(SaleGate gate, String productId) {
        return gate.probe(productId).toCompletableFuture().join().stock();
    }

    private static long connections(RedisFixture fixture, String clientName) {
        return fixture.redis.clientList().lines().filter(line -> line.contains(" name=" + clientName + " ")).count();
    }
}
