package com.flashsale.token;

import com.flashsale.http.Priming;
import com.flashsale.http.PrimingConfiguration;
import io.micronaut.context.ApplicationContext;
import jakarta.inject.Singleton;

/**
 * The token function's invoke priming before the SnapStart snapshot ({@link Priming}: what it may
 * touch, and why nothing is written): a token issued for the in-stock priming card, the sold-out
 * refusal from a card, a malformed body, and an unknown product (the card's Redis probe, a read).
 */
@Singleton
public class TokenPriming extends Priming {

    static final String TOKEN = "/api/flash-sale/token";

    public TokenPriming(ApplicationContext context, PrimingConfiguration configuration) {
        super(context, configuration);
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
