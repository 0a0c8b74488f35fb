package com.flashsale.shared.crac;

import com.flashsale.shared.redis.RequestIds;
import io.micronaut.crac.test.CheckpointSimulator;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/reliability.md row 14: no duplicate ids between containers restored from one snapshot. */
@MicronautTest
class RestoreSafeRandomTest {

    @Inject
    CheckpointSimulator simulator;

    /**
     * A snapshot gives every restored container the same generator state. Modelled here by two
     * generators seeded alike (SHA1PRNG is deterministic from its seed, as any generator is from
     * its copied state).
     */
    @Test
    void shouldDrawDifferentIds_whenTwoContainersAreRestoredFromOneSnapshot() throws Exception {
        RestoreSafeRandom first = new RestoreSafeRandom(snapshotState());
        RestoreSafeRandom second = new RestoreSafeRandom(snapshotState());
        assertThat(first.hex(16)).as("the model: copies of one state repeat each other").isEqualTo(second.hex(16));

        first.reseed();
        second.reseed();

        Set<String> ids = new HashSet<>();
        IntStream.range(0, 10_000).forEach(i -> {
            ids.add(first.hex(16));
            ids.add(second.hex(16));
        });
        assertThat(ids).hasSize(20_000);
    }

    @Test
    void shouldReseedTheSharedGenerator_whenTheFunctionIsRestored() {
        SecureRandom beforeSnapshot = RestoreSafeRandom.shared().generator();

        simulator.runBeforeCheckpoint();
        simulator.runAfterRestore();

        assertThat(RestoreSafeRandom.shared().generator()).isNotSameAs(beforeSnapshot);
        assertThat(RequestIds.newRequestId("p1")).as("ids drawn from the new generator").matches("p1\\.[0-9a-f]{32}");
    }

    private static SecureRandom snapshotState() throws NoSuchAlgorithmException {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(42L);
        return random;
    }
}
