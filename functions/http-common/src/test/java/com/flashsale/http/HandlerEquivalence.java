package com.flashsale.http;

import com.flashsale.http.LambdaHarness.Reply;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A function's own handler ({@link DirectRouteHandler}) must answer its route as Micronaut's adapter
 * does: each case is sent twice over the handler's context, once through each, as two users in the
 * same situation, and the status, headers and JSON body must be the same.
 */
public final class HandlerEquivalence {

    private HandlerEquivalence() {
    }

    /**
     * @param cases          by name, the request of a given user
     * @param comparableBody the body with what differs between two users' answers (ids, times)
     *                       reduced to its kind
     */
    public static void assertSameAnswers(LambdaHarness handler, Map<String, Function<String, Events>> cases,
                                         UnaryOperator<Map<String, Object>> comparableBody) {
        try (LambdaHarness adapter = new LambdaHarness(handler.context())) {
            int n = 0;
            for (var entry : cases.entrySet()) {
                n++;
                Reply expected = adapter.invoke(entry.getValue().apply("adapter-" + n));
                Reply actual = handler.invoke(entry.getValue().apply("handler-" + n));

                assertThat(actual.status()).as(entry.getKey()).isEqualTo(expected.status());
                assertThat(comparableHeaders(actual.headers())).as(entry.getKey()).isEqualTo(comparableHeaders(expected.headers()));
                assertThat(comparableBody.apply(actual.body())).as(entry.getKey()).isEqualTo(comparableBody.apply(expected.body()));
            }
        }
    }

    /** The headers with the date reduced to its format: the two answers may be a second apart. */
    private static Map<String, String> comparableHeaders(Map<String, String> headers) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.computeIfPresent("date", (key, date) -> {
            DateTimeFormatter.RFC_1123_DATE_TIME.parse(date); // throws when it is not one
            return "an RFC 1123 date";
        });
        return copy;
    }
}
