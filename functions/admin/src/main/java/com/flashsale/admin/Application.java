package com.flashsale.admin;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** The admin function; Lambda's handler is {@code APIGatewayV2HTTPEventFunction}. */
@OpenAPIDefinition(info = @Info(title = "admin", version = "1", description = "Flash sale: products, warm-up, payment callback, stats"))
public final class Application {

    private Application() {
    }
}
