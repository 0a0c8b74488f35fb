package com.flashsale.trivial;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.util.Map;

/**
 * The smallest Micronaut HTTP function behind {@code APIGatewayV2HTTPEventFunction}: the yardstick
 * the benchmark compares the real functions' cold starts with. Never deployed.
 */
@Controller("/trivial")
public class TrivialController {

    @Get
    public Map<String, String> hello() {
        return Map.of("status", "UP");
    }
}
