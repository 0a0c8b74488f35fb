package com.flashsale.token.human;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.flashsale.http.ApiException;
import com.flashsale.http.Caller;
import com.flashsale.http.JsonBody;
import com.flashsale.http.Outcomes;
import com.flashsale.http.ProductCatalog;
import com.flashsale.http.ProductView;
import com.flashsale.shared.human.HumanCheck;
import jakarta.inject.Singleton;

/**
 * The token step's human check, as the product asks for it ({@link HumanCheck}, from the product's
 * card in this container): nothing, the body's {@code altcha} solution ({@link AltchaChallenges}) or
 * its {@code captcha} token ({@link CaptchaVerifier}). A missing, wrong, expired, forged or reused
 * proof is 403 HUMAN_CHECK_FAILED. Nothing here reads or writes the product's Redis slot.
 */
@Singleton
public class HumanVerification {

    private final ProductCatalog catalog;
    private final JsonBody jsonBody;
    private final AltchaChallenges altcha;
    private final CaptchaVerifier captcha;
    private final Outcomes outcomes;

    public HumanVerification(ProductCatalog catalog, JsonBody jsonBody, AltchaChallenges altcha,
                             CaptchaVerifier captcha, Outcomes outcomes) {
        this.catalog = catalog;
        this.jsonBody = jsonBody;
        this.altcha = altcha;
        this.captcha = captcha;
        this.outcomes = outcomes;
    }

    /**
     * Passes when the product asks for no check (or is not on sale: the caller answers that), or when
     * the token request's proof is good; else 403 HUMAN_CHECK_FAILED (503 when the check cannot run).
     */
    public void verify(String productId, Caller caller, APIGatewayV2HTTPEvent event) {
        HumanCheck check = catalog.find(productId).map(ProductView::humanCheck).orElse(HumanCheck.NONE);
        boolean passed = switch (check.mode()) {
            case NONE -> true;
            // read again only for the products that ask: the common path parses the body once
            case ALTCHA -> altcha.verify(jsonBody.read(event).optionalString("altcha").orElse(null),
                    caller.userId(), productId);
            case PROVIDER -> captcha.verify(jsonBody.read(event).optionalString("captcha").orElse(null),
                    caller.sourceIp());
        };
        if (!passed) {
            outcomes.count("HUMAN_CHECK_FAILED");
            throw failed(check);
        }
    }

    static ApiException failed(HumanCheck check) {
        return ApiException.forbidden("HUMAN_CHECK_FAILED", "this product needs a valid, unused "
                + (check.mode() == HumanCheck.Mode.ALTCHA ? "altcha solution" : "captcha token")
                + " with the token request");
    }
}
