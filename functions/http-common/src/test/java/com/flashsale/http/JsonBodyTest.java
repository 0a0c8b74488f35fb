package com.flashsale.http;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonBodyTest {

    private final JsonBody jsonBody = new JsonBody(JsonMapper.createDefault());

    private JsonBody.Fields read(String body) {
        return jsonBody.read(Events.user("u").post("/x", body).event());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"1\"", "0", "-3", "1.5", "1e3", "1e400", "NaN", "true", "[]", "{}", "99999999999999999999"})
    void shouldRefuseQuantity_whenNotAWholeNumberInBounds(String quantity) {
        assertThatThrownBy(() -> read("{\"quantity\":" + quantity + "}").optionalLong("quantity", 1, 10))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("INVALID_REQUEST"));
    }

    @Test
    void shouldReadWholeNumbers_includingAnIntegralDecimal() {
        assertThat(read("{\"quantity\":3}").optionalLong("quantity", 1, 10)).contains(3L);
        assertThat(read("{\"quantity\":2.0}").optionalLong("quantity", 1, 10)).contains(2L);
        assertThat(read("{\"quantity\":null}").optionalLong("quantity", 1, 10)).isEmpty();
    }

    @Test
    void shouldIgnoreUnknownFields_whenReading() {
        assertThat(read("{\"productId\":\"p1\",\"extra\":{\"deep\":[1,2,3]}}").requiredString("productId")).isEqualTo("p1");
    }

    @Test
    void shouldAnswerPayloadTooLarge_whenOver16KiB() {
        assertThatThrownBy(() -> read("{\"a\":\"" + "x".repeat(JsonBody.MAX_BYTES) + "\"}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("PAYLOAD_TOO_LARGE"));
    }
}
