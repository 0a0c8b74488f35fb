package com.flashsale.result;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** The result function; Lambda's handler is {@code APIGatewayV2HTTPEventFunction}. */
@OpenAPIDefinition(info = @Info(title = "result", version = "1", description = "Flash sale: request results, product cards, orders"))
public final class Application {

    private Application() {
    }
}
