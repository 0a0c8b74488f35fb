package com.flashsale.local.lab.simulate;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The soak's verdict can fail: each count it names turns {@link ChaosSoak.Summary#clean()} false on its own. */
class SoakSummaryTest {

    private static ChaosSummary clean() {
        return new ChaosSummary(0, 0, 0, true, List.of(), 0);
    }

    /** The fields clean() judges; the rest of a summary as a clean soak leaves it. */
    private record ChaosSummary(long lost, long oversold, long overLimit, boolean settled, List<String> badInputAdmitted,
                                long poisonNotDeadLettered) {

        ChaosSoak.Summary summary() {
            return new ChaosSoak.Summary(1, 800, 100, new EnumMap<>(Fault.class), 100, 100, 50, 0, Map.of(), 100, lost,
                    oversold, overLimit, settled, List.of(), Map.of("400", 12L), badInputAdmitted, 4, poisonNotDeadLettered);
        }
    }

    @Test
    void shouldBeClean_whenNothingIsLostOversoldOverTheLimitOrLeftUnsettled() {
        assertThat(clean().summary().clean()).isTrue();
    }

    @Test
    void shouldNotBeClean_whenAnyOneCountIsNotZero() {
        List<ChaosSummary> defects = List.of(
                new ChaosSummary(1, 0, 0, true, List.of(), 0),
                new ChaosSummary(0, 1, 0, true, List.of(), 0),
                new ChaosSummary(0, 0, 1, true, List.of(), 0),
                new ChaosSummary(0, 0, 0, false, List.of(), 0),
                new ChaosSummary(0, 0, 0, true, List.of("POST /api/flash-sale/buy answered 202"), 0),
                new ChaosSummary(0, 0, 0, true, List.of(), 1));

        assertThat(defects).allSatisfy(defect -> assertThat(defect.summary().clean()).as("%s", defect).isFalse());
    }
}
