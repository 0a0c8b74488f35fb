package com.flashsale.token.human;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.flashsale.http.ApiException;
import com.flashsale.http.Caller;
import com.flashsale.http.ProductCatalog;
import com.flashsale.http.Refusals;
import com.flashsale.shared.human.HumanCheck;
import com.flashsale.shared.redis.RedisKeys;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;

import java.util.Map;

/**
 * {@code GET /api/flash-sale/challenge?productId=...}: a signed, short-lived ALTCHA challenge for this
 * user and product, at the product's difficulty, for products whose {@code humanCheck} is
 * {@code altcha}. Stateless: nothing is written anywhere.
 */
@Controller("/api/flash-sale")
public class ChallengeController {

    private final ProductCatalog catalog;
    private final AltchaChallenges altcha;

    public ChallengeController(ProductCatalog catalog, AltchaChallenges altcha) {
        this.catalog = catalog;
        this.altcha = altcha;
    }

    @Operation(summary = "An ALTCHA challenge for a product whose humanCheck is altcha (the widget's JSON)")
    @Get("/challenge")
    public HttpResponse<Map<String, Object>> challenge(@Parameter(hidden = true) APIGatewayV2HTTPEvent event,
                                                       @QueryValue @Nullable String productId) {
        Caller caller = Caller.user(event);
        if (productId == null || productId.isEmpty()) {
            throw ApiException.invalid("productId is required");
        }
        if (!RedisKeys.PRODUCT_ID.matcher(productId).matches()) {
            throw Refusals.productNotFound();
        }
        HumanCheck check = catalog.find(productId).orElseThrow(Refusals::productNotFound).humanCheck();
        if (check.mode() != HumanCheck.Mode.ALTCHA) {
            throw ApiException.notFound("this product asks for no ALTCHA proof (humanCheck " + check.mode().wire() + ")");
        }
        return HttpResponse.ok(altcha.create(caller.userId(), productId, check.difficulty()))
                .header("Cache-Control", "no-store");
    }
}
