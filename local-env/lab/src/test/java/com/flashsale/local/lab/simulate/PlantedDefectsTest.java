package com.flashsale.local.lab.simulate;

import com.flashsale.local.runtime.LocalEnvironment;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit can fail: each planted defect, in a small sale of its own on the whole stack, turns
 * its own audit line red. (The same sale without a defect audits green: {@code WholeStackSaleTest}.)
 */
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlantedDefectsTest {

    private static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();

    private LocalEnvironment environment;

    @BeforeAll
    void start(RealServers servers) throws InterruptedException {
        environment = LocalEnvironment.start(new LocalEnvironment.Options(REPOSITORY, 0, Duration.ofSeconds(2), 100, 16),
                servers);
    }

    @AfterAll
    void stop() {
        if (environment != null) {
            environment.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PlantedDefect.class)
    void shouldTurnItsAuditLineRed_whenTheDefectIsPlanted(PlantedDefect defect) throws Exception {
        var log = new ByteArrayOutputStream();
        List<Audit.Line> audit;
        try (PlantedDefect.Planting planting = defect.plantIn(environment)) {
            Simulation.Outcome outcome = new Simulation(environment.baseUrl(), 16, new PrintStream(log, true))
                    .run(new Simulation.Plan(20, 120, 16, 0.1, 0.05, Duration.ofSeconds(2)), planting.companion());
            audit = Audit.of(outcome, Optional.of(environment), false);
        }
        String report = defect + "\n" + Audit.render(audit);
        System.out.println(report);

        assertThat(audit).as("every line read its data: %s", report).noneMatch(line -> line.detail().startsWith("not read"));
        assertThat(Audit.red(audit)).as(report).contains(defect.redLine());
    }
}
