package com.flashsale.shared.event;

import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The event's wire form, and that it stays the event's: API responses keep ISO-8601 instants. */
@MicronautTest
class OrderEventJsonTest {

    private static final Instant ACCEPTED = Instant.parse("2026-11-24T03:51:00.123Z");

    @Inject
    JsonMapper json;

    @Test
    void shouldWriteAcceptedAtAsEpochMillis_andLeaveEveryOtherInstantIso() throws Exception {
        OrderEvent event = OrderEvent.of("p1.r1", "p1", "u1", 1, ACCEPTED);

        String wire = json.writeValueAsString(event);

        assertThat(wire).contains("\"acceptedAt\":" + ACCEPTED.toEpochMilli());
        assertThat(json.readValue(wire, OrderEvent.class)).isEqualTo(event);
        assertThat(json.writeValueAsString(Map.of("startsAt", ACCEPTED)))
                .isEqualTo("{\"startsAt\":\"2026-11-24T03:51:00.123Z\"}");
    }
}
