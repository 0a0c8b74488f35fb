package com.flashsale.local.lab.simulate;

import com.flashsale.local.runtime.LocalEnvironment;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One fault per sale, each sale ending with the audit: the docs/reliability.md rows that the whole
 * system must survive, proven one at a time on the real stack, through the gateway, with every
 * function run from its Lambda jar. A short sale of its own per fault (users buy, pay or let
 * their orders expire and the units sell again), the fault struck 1 s into it, held 3 s and healed, then
 * the drain (reconciliation until everything accepted is settled) and the audit: lost, oversold
 * and over the limit 0, and every audit line green. {@link ChaosSoakTest} strikes them all in one sale.
 * The rows run on the standalone server, but {@link Fault#REDIS_FAILOVER}'s (the last) on the Redis
 * Cluster, followed on the same stack by a sale without fault: the whole system on ElastiCache's
 * topology, where Redis, keeping its writes, is the exact gate again.
 */
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultRowsTest {

    private static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    private static final int STOCK = 100;
    private static final Duration SALE = Duration.ofSeconds(12);
    /** Chooses the container that {@link Fault#FUNCTION_CRASH} crashes: with 3, buy's, the one on the hot path. */
    private static final long SEED = 3;

    private RealServers servers;
    private LocalEnvironment environment;

    @BeforeAll
    void start(RealServers servers) {
        assumeTrue(servers.kafka().isPresent() && servers.postgres().isPresent(),
                "faults stop and start Kafka and PostgreSQL: skipped on existing servers");
        this.servers = servers;
    }

    /** The stack on the Redis the fault needs; one at a time (the functions' settings are the JVM's). */
    private LocalEnvironment environment(Fault fault) throws InterruptedException {
        return environment(fault == Fault.REDIS_FAILOVER);
    }

    private LocalEnvironment environment(boolean cluster) throws InterruptedException {
        if (environment == null || environment.redisCluster().isPresent() != cluster) {
            stop();
            environment = LocalEnvironment.start(new LocalEnvironment.Options(REPOSITORY, 0, Duration.ofSeconds(2), 100, 32,
                    ChaosSoak.functionSettings(Duration.ofSeconds(6)), cluster), servers);
        }
        return environment;
    }

    @AfterAll
    void stop() {
        if (environment != null) {
            environment.close();
            environment = null;
        }
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @EnumSource(Fault.class)
    void shouldLoseNothing_oversellNothing_andEndWithTheAuditGreen_whenTheFaultStrikesMidSale(Fault fault) throws Exception {
        PrintStream out = System.out;
        LocalEnvironment environment = environment(fault);
        List<ChaosSoak.Planned> plan = List.of(new ChaosSoak.Planned(fault, Duration.ofSeconds(1), Duration.ofSeconds(3)));
        try (ChaosSoak soak = new ChaosSoak(environment, SEED, plan, out)) {
            Simulation.Outcome outcome = new Simulation(environment.baseUrl(), 32, out)
                    .run(new Simulation.Plan(STOCK, 400, 32, 0.1, 0.05, Duration.ofSeconds(2), SALE, 0.5), soak);
            ChaosSoak.Summary summary = soak.summarize(outcome);
            List<Audit.Line> audit = Audit.of(outcome, environment, soak.redisLostWrites());
            String report = fault + "\n" + Audit.render(audit) + "\n" + summary.render();
            out.println(report);

            assertThat(summary.faults().get(fault)).as(report).isEqualTo(1);
            assertThat(summary.clean()).as("settled; lost, oversold, over the limit, bad input admitted and poison "
                    + "not dead-lettered all 0: %s", report).isTrue();
            assertThat(summary.active()).as(report).isPositive().isLessThanOrEqualTo(STOCK);
            assertThat(audit).as(report).allMatch(Audit.Line::passed);
            switch (fault) {
                case CONSUMER_REDELIVERY -> assertThat(soak.redeliveries()).as(report).isPositive();
                case POISON_RECORDS -> assertThat(summary.poisonRecords()).as(report).isPositive();
                case BAD_INPUT -> assertThat(summary.badInput().values().stream().mapToLong(Long::longValue).sum())
                        .as(report).isGreaterThan(10);
                case REDIS_FAILOVER -> assertThat(summary.failovers()).as("the sale went on on the replica: %s", report)
                        .singleElement().satisfies(failover -> {
                            assertThat(failover.acceptedWhileDown()).isPositive();
                            assertThat(failover.lastErrorAfterKill()).isLessThan(failover.tookOver().plusSeconds(3));
                        });
            }
        }
    }

    @Order(2)
    @Test
    void shouldSellExactlyTheStock_andAuditGreen_whenTheWholeSaleRunsOnTheRedisCluster() throws Exception {
        LocalEnvironment environment = environment(true);

        Simulation.Outcome outcome = new Simulation(environment.baseUrl(), 32, System.out)
                .run(new Simulation.Plan(STOCK, 600, 32, 0.1, 0.05, Duration.ofSeconds(2)));
        List<Audit.Line> audit = Audit.of(outcome, environment, false);

        assertThat(audit).as(Audit.render(audit)).allMatch(Audit.Line::passed);
        assertThat(outcome.acceptedByRequest()).hasSize(STOCK);
    }
}
