package com.flashsale.token;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.flashsale.http.Caller;
import com.flashsale.http.Dependencies;
import com.flashsale.http.Gates;
import com.flashsale.http.JsonBody;
import com.flashsale.http.Outcomes;
import com.flashsale.http.ProductCatalog;
import com.flashsale.http.RateLimiter;
import com.flashsale.http.TokenConfiguration;
import com.flashsale.http.Refusals;
import com.flashsale.shared.crac.RestoreSafeRandom;
import com.flashsale.shared.redis.NonceIssue;
import com.flashsale.shared.redis.SaleGate;
import com.flashsale.shared.token.PurchaseToken;
import com.flashsale.shared.token.PurchaseTokenCodec;
import com.flashsale.token.human.HumanVerification;
import io.micronaut.context.BeanProvider;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.parameters.RequestBody;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * {@code POST /api/flash-sale/token}: a short-lived, one-time purchase token bound to the user and
 * the product, HMAC-signed; its nonce is registered in Redis only while the product can be bought.
 */
@Controller("/api/flash-sale")
public class TokenController {


    private final JsonBody jsonBody;
    private final ProductCatalog catalog;
    private final RateLimiter rateLimiter;
    private final BeanProvider<SaleGate> gate;
    private final PurchaseTokenCodec codec;
    private final Outcomes outcomes;
    private final Duration lifetime;
    private final HumanVerification human;

    public TokenController(JsonBody jsonBody, ProductCatalog catalog, RateLimiter rateLimiter,
                           BeanProvider<SaleGate> gate, PurchaseTokenCodec codec, Outcomes outcomes,
                           TokenConfiguration token, HumanVerification human) {
        this.jsonBody = jsonBody;
        this.catalog = catalog;
        this.rateLimiter = rateLimiter;
        this.gate = gate;
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
        catalog.find(productId).orElseThrow(Refusals::productNotFound);
        rateLimiter.check("token", caller);
        human.verify(productId, caller, event);

        String nonce = newNonce();
        NonceIssue issue = Dependencies.await(Gates.get(gate).issueNonce(productId, nonce, lifetime));
        return switch (issue.outcome()) {
            case ISSUED -> {
                Instant expiresAt = Instant.ofEpochMilli(issue.expiresAtMs());
                outcomes.count("TOKEN_ISSUED");
                yield new IssuedToken(codec.encode(new PurchaseToken(caller.userId(), productId, nonce, expiresAt)),
                        expiresAt.toString());
            }
            case NOT_FOUND -> throw Refusals.productNotFound();
            case SALE_NOT_STARTED -> throw Refusals.saleNotStarted(issue.startsAtMs(), issue.serverTimeMs());
            case SALE_ENDED -> throw Refusals.saleEnded();
            case SOLD_OUT -> throw Refusals.soldOut();
        };
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
