package com.flashsale.local.runtime.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flashsale.local.runtime.lambda.Invocable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LocalSchedulerTest {

    @Test
    void shouldInvokeAtTheRate_withEventBridgeShapedEvents_andKeepGoingAfterAFailure() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        Invocable function = new Invocable() {
            @Override
            public String name() {
                return "reconciliation";
            }

            @Override
            public String invoke(String eventJson) {
                events.add(eventJson);
                if (events.size() == 1) {
                    throw new IllegalStateException("planted failure");
                }
                return "{\"runs\":" + events.size() + "}";
            }
        };

        try (LocalScheduler scheduler = new LocalScheduler(function, Duration.ofMillis(100))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.runs() >= 3);
            assertThat(scheduler.lastResult()).startsWith("{\"runs\":");
        }

        JsonNode event = new ObjectMapper().readTree(events.get(0));
        assertThat(event.path("detail-type").asText()).isEqualTo("Scheduled Event");
        assertThat(event.path("resources").get(0).asText()).contains("schedule");
        assertThat(event.path("time").asText()).endsWith("Z");
    }
}
