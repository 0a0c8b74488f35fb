package com.flashsale.result;

import com.flashsale.http.PrimingTrace;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static com.flashsale.http.PrimingTrace.ROUNDS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invoke priming (issue 18) in the result function: the checkpoint hook reads Redis and PostgreSQL
 * through the handler and writes to neither (no unknown-id marker, no bucket, no row).
 */
@ExtendWith(RealServersExtension.class)
class ResultPrimingTest {

    @Test
    void shouldRunTheHotPathsAndWriteNothing_whenTheCheckpointHookRuns(RealServers realServers) {
        try (ResultFixture fixture = new ResultFixture(realServers, PrimingTrace.SETTINGS)) {
            fixture.insertProduct(fixture.servers.productOnSale(10, 1), 9);
            ResultPriming priming = fixture.result.context().getBean(ResultPriming.class);

            PrimingTrace trace = PrimingTrace.ofCheckpoint(fixture.result.context(), fixture.servers, fixture.database);

            assertThat(priming.lastStatuses()).as("unknown request, bad id, a card, unknown product and order")
                    .isEqualTo(Map.of(404, 4 * ROUNDS, 200, ROUNDS));
            assertThat(trace.redisWrites()).as("the rate-limit script, on throwaway buckets").containsKey("hset");
            assertThat(trace.keysLeft()).as("keys priming wrote and left").isEmpty();
            assertThat(trace.keysAfter()).as("keys (an expiry may only lower it)").isLessThanOrEqualTo(trace.keysBefore());
            assertThat(trace.rowsAfter()).as("rows per table").isEqualTo(trace.rowsBefore()).isNotEmpty();
        }
    }
}
