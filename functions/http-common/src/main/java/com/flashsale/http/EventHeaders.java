package com.flashsale.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

/**
 * A request header read from the API Gateway event itself. Micronaut's request copies every header
 * into a new map on each read of its headers (micronaut-function-aws 4.11), a cost the hot routes
 * pay enough already.
 */
public final class EventHeaders {

    private EventHeaders() {
    }

    /** The header's value, its name compared without case (HTTP's rule); null when it is absent. */
    public static String get(APIGatewayV2HTTPEvent event, String name) {
        if (event.getHeaders() == null) {
            return null;
        }
        for (var header : event.getHeaders().entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }
}
