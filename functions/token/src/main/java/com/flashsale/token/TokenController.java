package com.flashsale.token;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.flashsale.http.Caller;
import com.flashsale.http.DenyList;
import com.flashsale.http.JsonBody;
import com.flashsale.http.Outcomes;
import com.flashsale.http.ProductCatalog;
import com.flashsale.http.RateLimiter;
import com.flashsale.http.Refusals;
import com.flashsale.http.TokenConfiguration;
import com.flashsale.shared.crac.RestoreSafeRandom;
import com.flashsale.shared.token.PurchaseToken;
import com.flashsale.shared.token.PurchaseTokenCodec;
import com.flashsale.token.human.HumanVerification;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.parameters.RequestBody;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * {@code POST /api/flash-sale/token}: a short-lived purchase token bound to the user and the
 * product, HMAC-signed over user, product, nonce and expiry. Issuing one writes nothing to the
 * product's Redis slot: window, pause and sold-out come from the container's product card, the
 * per-user and per-address buckets live in slots of their own, and the token's single use is
 * enforced when it buys (the admission script spends its nonce).
 */
@Controller("/api/flash-sale")
public class TokenController {

    private final JsonBody jsonBody;
    private final ProductCatalog catalog;
    private final DenyList denyList;
    private final RateLimiter rateLimiter;
    private final PurchaseTokenCodec codec;
    private final Outcomes outcomes;
    private final Duration lifetime;
    private final HumanVerification human;

    public TokenController(JsonBody jsonBody, ProductCatalog catalog, DenyList denyList, RateLimiter rateLimiter,
                           PurchaseTokenCodec codec, Outcomes outcomes, TokenConfiguration token,
                           HumanVerification human) {
        this.jsonBody = jsonBody;
        this.catalog = catalog;
        this.denyList = denyList;
        this.rateLimiter = rateLimiter;
        this.codec = codec;
        this.outcomes = outcomes;
        this.lifetime = token.lifetime();
        this.human = human;
    }

    @Operation(summary = "Get a one-time purchase token for a product on sale")
    @RequestBody(description = "{\"productId\":\"...\"}")
    @Post("/token")
    public IssuedToken token(@Parameter(hidden = true) APIGatewayV2HTTPEvent event) {
        Caller caller = Caller.user(event);
        String productId = Refusals.productId(jsonBody.read(event));
        denyList.refuseIfListed(caller.userId());
        catalog.onSale(productId);
        rateLimiter.check("token", caller);
        human.verify(productId, caller, event);

        Instant expiresAt = catalog.serverTime().plus(lifetime).truncatedTo(ChronoUnit.MILLIS);
        outcomes.count("TOKEN_ISSUED");
        return new IssuedToken(codec.encode(new PurchaseToken(caller.userId(), productId, newNonce(), expiresAt)),
                expiresAt.toString());
    }

    /** 128 random bits, base64url. */
    static String newNonce() {
        byte[] bytes = new byte[16];
        RestoreSafeRandom.shared().nextBytes(bytes); // not a static SecureRandom: SnapStart, see there
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The 200 body. */
    @Serdeable
    public record IssuedToken(String token, String expiresAt) {
    }
}
