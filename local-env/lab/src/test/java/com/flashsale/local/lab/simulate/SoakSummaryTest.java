package com.flashsale.local.lab.simulate;

import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The soak's verdict can fail: each count it names turns {@link ChaosSoak.Summary#clean()} false on its own. */
class SoakSummaryTest {

    /**
     * A summary as a clean soak leaves it (counts 0, settled, nothing listed) but for the one component
     * named, which gets {@code value}; built from the record's components, so it survives new ones.
     */
    private static ChaosSoak.Summary summary(String component, Object value) throws Exception {
        RecordComponent[] components = ChaosSoak.Summary.class.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            Class<?> type = components[i].getType();
            values[i] = components[i].getName().equals(component) ? value
                    : type == long.class ? 0L : type == int.class ? 0 : type == boolean.class ? true
                    : type == Map.class ? (components[i].getName().equals("faults") ? new EnumMap<>(Fault.class) : Map.of())
                    : type == List.class ? List.of() : null;
        }
        return ChaosSoak.Summary.class.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType)
                .toArray(Class<?>[]::new)).newInstance(values);
    }

    @Test
    void shouldBeClean_whenNothingIsLostOversoldOverTheLimitOrLeftUnsettled() throws Exception {
        assertThat(summary("none", null).clean()).isTrue();
    }

    @Test
    void shouldNotBeClean_whenAnyOneCountIsNotZero() throws Exception {
        assertThat(summary("lost", 1L).clean()).as("lost").isFalse();
        assertThat(summary("oversold", 1L).clean()).as("oversold").isFalse();
        assertThat(summary("overLimit", 1L).clean()).as("over the limit").isFalse();
        assertThat(summary("settled", false).clean()).as("not settled").isFalse();
        assertThat(summary("badInputAdmitted", List.of("POST /api/flash-sale/buy answered 202")).clean())
                .as("bad input admitted").isFalse();
        assertThat(summary("poisonNotDeadLettered", 1L).clean()).as("poison not dead-lettered").isFalse();
    }
}
