package com.flashsale.token;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** The token function; Lambda's handler is {@link TokenHandler}. */
@OpenAPIDefinition(info = @Info(title = "token", version = "1", description = "Flash sale: one-time purchase tokens"))
public final class Application {

    private Application() {
    }
}
