package com.flashsale.buy;

import com.flashsale.http.Priming;
import com.flashsale.http.PrimingConfiguration;
import com.flashsale.shared.token.PurchaseToken;
import com.flashsale.shared.token.PurchaseTokenCodec;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;

/**
 * The buy function's invoke priming before the SnapStart snapshot ({@link Priming}: what it may
 * touch, and why nothing is written). A buy with a valid token for the in-stock priming card goes
 * all the way to the admission script, which answers NOT_FOUND (the product is in no store) before
 * it writes anything, so nothing is published either; then the sold-out refusal from a card, a
 * token that does not verify, a malformed body.
 */
@Singleton
public class BuyPriming extends Priming {

    static final String BUY = "/api/flash-sale/buy";

    /** Resolved at the checkpoint, not when the context starts: the codec needs the token keys. */
    private final BeanProvider<PurchaseTokenCodec> tokens;

    public BuyPriming(ApplicationContext context, PrimingConfiguration configuration, BeanProvider<PurchaseTokenCodec> tokens) {
        super(context, configuration);
        this.tokens = tokens;
    }

    @Override
    protected void round(Requests requests) {
        String token = tokens.get().encode(new PurchaseToken(USER, PRODUCT_IN_STOCK, "priming",
                Instant.now().plus(Duration.ofMinutes(1))));
        requests.user("POST", BUY, buy(PRODUCT_IN_STOCK, token), 404);
        requests.user("POST", BUY, buy(PRODUCT_SOLD_OUT, token), 409);
        requests.user("POST", BUY, buy(PRODUCT_IN_STOCK, "not.a.token"), 403);
        requests.user("POST", BUY, "{\"productId\":", 400);
    }

    private static String buy(String productId, String token) {
        return "{\"productId\":\"" + productId + "\",\"quantity\":1,\"token\":\"" + token + "\"}";
    }
}
