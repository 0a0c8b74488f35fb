package com.flashsale.trivial;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;

import java.util.Map;

/**
 * The smallest Micronaut HTTP function behind {@code APIGatewayV2HTTPEventFunction}: the yardstick
 * the benchmark compares the real functions with. Never deployed.
 */
@Controller
public class TrivialController {

    /** The cold-start yardstick. */
    @Get("/trivial")
    public Map<String, String> hello() {
        return Map.of("status", "UP");
    }

    /**
     * The sold-out yardstick: the buy route's refusal as a constant, so that the same gateway, adapter
     * and load measure what the buy function's own sold-out path costs on top.
     */
    @Post("/api/flash-sale/buy")
    public HttpResponse<Map<String, String>> soldOut() {
        return HttpResponse.<Map<String, String>>status(HttpStatus.CONFLICT).body(Map.of("error", "SOLD_OUT", "message", "sold out"));
    }
}
