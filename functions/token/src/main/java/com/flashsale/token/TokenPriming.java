package com.flashsale.token;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flashsale.http.Priming;
import com.flashsale.shared.priming.PrimingConfiguration;
import io.micronaut.context.ApplicationContext;
import jakarta.inject.Singleton;

/**
 * The token function's invoke priming before the SnapStart snapshot ({@link Priming}: what it may
 * touch, and why nothing is written): a token issued for the in-stock priming card, the sold-out
 * refusal from a card, a malformed body, and an unknown product (the card's Redis probe, a read).
 */
@Singleton
public class TokenPriming extends Priming {

    static final String TOKEN = TokenHandler.TOKEN_PATH;

    public TokenPriming(ApplicationContext context, PrimingConfiguration configuration) {
        super(context, configuration);
    }

    /** Token's own handler, so that priming runs its direct route as Lambda does. */
    @Override
    protected RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler(ApplicationContext context) {
        return new TokenHandler(context);
    }

    @Override
    protected void round(Requests requests) {
        requests.user("POST", TOKEN, product(PRODUCT_IN_STOCK), 200);
        requests.user("POST", TOKEN, product(PRODUCT_SOLD_OUT), 409);
        requests.user("POST", TOKEN, "{\"productId\":", 400);
        requests.user("POST", TOKEN, product("__priming-unknown"), 404);
    }

    private static String product(String productId) {
        return "{\"productId\":\"" + productId + "\"}";
    }
}
