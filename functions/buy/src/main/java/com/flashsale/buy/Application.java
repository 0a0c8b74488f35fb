package com.flashsale.buy;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** The buy function; Lambda's handler is {@link BuyHandler}. */
@OpenAPIDefinition(info = @Info(title = "buy", version = "1", description = "Flash sale: one atomic admission, then Kafka"))
public final class Application {

    private Application() {
    }
}
