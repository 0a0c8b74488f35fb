package com.flashsale.local.lab.simulate;

import com.flashsale.local.runtime.LocalEnvironment;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The soak of {@code ./flashsale simulate --chaos}, shortened for CI: a sale of 40 s through the
 * gateway, every function from its Lambda jar, with each kind of fault injected once at a seeded
 * moment while users buy, pay or let their orders expire.
 */
@ExtendWith(RealServersExtension.class)
class ChaosSoakTest {

    private static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    private static final long SEED = 20261124L;
    private static final Duration SALE = Duration.ofSeconds(40);

    @Test
    void shouldPlanEveryKindOfFault_oneAtATimeInsideTheSale_andTheSameForTheSameSeed() {
        List<Fault> kinds = List.of(Fault.values());
        List<ChaosSoak.Planned> plan = ChaosSoak.plan(new Random(SEED), SALE, kinds);

        assertThat(plan).extracting(ChaosSoak.Planned::fault).containsAll(Arrays.asList(Fault.values()));
        assertThat(plan).extracting(ChaosSoak.Planned::hold)
                .allMatch(hold -> hold.compareTo(Duration.ofSeconds(1)) >= 0 && hold.compareTo(Duration.ofSeconds(5)) < 0);
        Duration slot = SALE.multipliedBy(2).dividedBy(3).dividedBy(plan.size());
        for (int i = 0; i < plan.size(); i++) {
            assertThat(plan.get(i).at()).as("fault %d falls in the first half of its own slot", i)
                    .isBetween(slot.multipliedBy(i), slot.multipliedBy(i).plus(slot.dividedBy(2)));
        }
        assertThat(ChaosSoak.plan(new Random(SEED), SALE, kinds)).isEqualTo(plan);
        assertThat(ChaosSoak.plan(new Random(SEED + 1), SALE, kinds)).isNotEqualTo(plan);
        assertThat(ChaosSoak.plan(new Random(SEED), Duration.ofMinutes(5), kinds)).hasSize(15);
        assertThat(ChaosSoak.plan(new Random(SEED), Duration.ofMinutes(5), List.of(Fault.KAFKA_RESTART)))
                .extracting(ChaosSoak.Planned::fault).containsOnly(Fault.KAFKA_RESTART);
    }

    @Test
    void shouldLoseNothing_oversellNothing_andKeepTheLimit_whenEveryKindOfFaultStrikesDuringTheSale(RealServers servers)
            throws Exception {
        assumeTrue(servers.kafka().isPresent() && servers.postgres().isPresent(),
                "the soak stops and starts Kafka and PostgreSQL: skipped on existing servers");
        LocalEnvironment environment = LocalEnvironment.start(new LocalEnvironment.Options(REPOSITORY, 0,
                Duration.ofSeconds(2), 100, 32, ChaosSoak.functionSettings(Duration.ofSeconds(8))), servers);
        PrintStream out = System.out; // the soak's own log: faults as they strike, the drain
        try (ChaosSoak soak = new ChaosSoak(environment, SEED, SALE, out)) {
            Simulation.Outcome outcome = new Simulation(environment.baseUrl(), 64, out)
                    .run(new Simulation.Plan(100, 800, 64, 0.1, 0.05, Duration.ofSeconds(2), SALE, 0.5), soak);
            ChaosSoak.Summary summary = soak.summarize(outcome);
            List<Audit.Line> audit = Audit.of(outcome, environment, soak.redisLostWrites());
            String report = Audit.render(audit) + "\n" + summary.render();
            out.println(report);

            assertThat(summary.faults()).as(report).allSatisfy((fault, count) -> assertThat(count).isPositive());
            assertThat(summary.clean()).as("settled; lost, oversold, over the limit, bad input admitted and poison "
                    + "not dead-lettered all 0: %s", report).isTrue();
            assertThat(summary.poisonRecords()).as(report).isPositive();
            assertThat(summary.cancelled()).as("unpaid orders expired and their units sold again: %s", report).isPositive();
            assertThat(summary.active()).as(report).isLessThanOrEqualTo(100);
            assertThat(audit).as(report).allMatch(Audit.Line::passed);
        } finally {
            environment.close();
        }
    }
}
