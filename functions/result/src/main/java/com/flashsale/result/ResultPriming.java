package com.flashsale.result;

import com.flashsale.http.Priming;
import com.flashsale.shared.priming.PrimingConfiguration;
import com.flashsale.shared.redis.RequestIds;
import io.micronaut.context.ApplicationContext;
import jakarta.inject.Singleton;

/**
 * The result function's invoke priming before the SnapStart snapshot ({@link Priming}: what it may
 * touch, and why nothing is written): the result of a request no store knows (Redis, then
 * PostgreSQL, both read), the card of the in-stock priming product, an unknown product and an
 * unknown order (PostgreSQL reads), a malformed request id. The unknown-id markers are not written
 * on the priming thread.
 */
@Singleton
public class ResultPriming extends Priming {

    private long round;

    public ResultPriming(ApplicationContext context, PrimingConfiguration configuration) {
        super(context, configuration);
    }

    @Override
    protected void round(Requests requests) {
        round++;
        requests.user("GET", "/api/flash-sale/result/" + RequestIds.newRequestId(PRODUCT_IN_STOCK), null, 404);
        requests.user("GET", "/api/flash-sale/result/not-a-request-id", null, 404);
        requests.anonymous("GET", "/api/products/" + PRODUCT_IN_STOCK, null, 200);
        requests.anonymous("GET", "/api/products/__priming-unknown-" + round, null, 404);
        requests.user("GET", "/api/orders/__priming-order-" + round, null, 404);
    }
}
