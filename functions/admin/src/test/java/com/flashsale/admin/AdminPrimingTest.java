package com.flashsale.admin;

import com.flashsale.http.FunctionTest;
import com.flashsale.http.PrimingTrace;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.flashsale.http.PrimingTrace.ROUNDS;
import static org.assertj.core.api.Assertions.assertThat;

/** Invoke priming (issue 18) in the admin function: reads and refusals only, no row and no Redis write. */
@MicronautTest(transactional = false)
class AdminPrimingTest extends FunctionTest {

    private final RealServers.Database database;

    AdminPrimingTest(RealServers realServers) {
        super(realServers);
        database = realServers.freshDatabase("admin");
    }

    @Override
    protected Map<String, Object> properties() {
        Map<String, Object> properties = super.properties();
        properties.putAll(TestServers.databaseProperties(database));
        properties.putAll(PrimingTrace.SETTINGS);
        return properties;
    }

    @Test
    void shouldRunTheHotPathsAndWriteNothing_whenTheCheckpointHookRuns() {
        AdminPriming priming = context.getBean(AdminPriming.class);

        PrimingTrace trace = PrimingTrace.ofCheckpoint(context, servers, database);

        assertThat(priming.lastStatuses()).as("list, unknown stats, refused creation, each round")
                .isEqualTo(Map.of(200, ROUNDS, 404, ROUNDS, 400, ROUNDS));
        assertThat(trace.redisWrites()).as("Redis commands that write, while priming").isEmpty();
        assertThat(trace.keysLeft()).as("keys priming wrote and left").isEmpty();
        assertThat(trace.keysAfter()).as("keys (an expiry may only lower it)").isLessThanOrEqualTo(trace.keysBefore());
        assertThat(trace.rowsAfter()).as("rows per table").isEqualTo(trace.rowsBefore()).isNotEmpty();
    }
}
