package com.flashsale.result;

import com.flashsale.http.PrimingTrace;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import io.micronaut.crac.test.CheckpointSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invoke priming (issue 18) in the result function: the checkpoint hook reads Redis and PostgreSQL
 * through the handler and writes to neither (no unknown-id marker, no bucket, no row).
 */
@ExtendWith(RealServersExtension.class)
class ResultPrimingTest {

    private static final int ROUNDS = 20;

    @Test
    void shouldRunTheHotPathsAndWriteNothing_whenTheCheckpointHookRuns(RealServers realServers) {
        try (ResultFixture fixture = new ResultFixture(realServers, Map.of("flashsale.priming.rounds", ROUNDS))) {
            fixture.insertProduct(fixture.servers.productOnSale(10, 1), 9);
            ResultPriming priming = fixture.result.context().getBean(ResultPriming.class);
            CheckpointSimulator simulator = fixture.result.context().getBean(CheckpointSimulator.class);
            PrimingTrace trace = PrimingTrace.redisAndDatabase(fixture.servers, fixture.database);

            simulator.runBeforeCheckpoint();
            Map<String, Long> writes = trace.redisWritesSince();
            long keys = trace.keysNow();
            Map<String, Long> rows = trace.rowsNow();
            simulator.runAfterRestore();

            assertThat(priming.lastStatuses()).as("unknown request, bad id, a card, unknown product and order")
                    .isEqualTo(Map.of(404, 4 * ROUNDS, 200, ROUNDS));
            assertThat(writes).as("Redis commands that write, while priming").isEmpty();
            assertThat(keys).as("keys (an expiry may only lower it)").isLessThanOrEqualTo(trace.keysBefore());
            assertThat(rows).as("rows per table").isEqualTo(trace.rowsBefore()).isNotEmpty();
        }
    }
}
