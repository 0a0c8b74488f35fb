package com.flashsale.admin;

import com.flashsale.http.Priming;
import com.flashsale.shared.priming.PrimingConfiguration;
import io.micronaut.context.ApplicationContext;
import jakarta.inject.Singleton;

/**
 * The admin function's invoke priming before the SnapStart snapshot ({@link Priming}: what it may
 * touch, and why nothing is written): the product list and the stats of an unknown product
 * (PostgreSQL reads) and a product creation refused for its body (nothing saved).
 */
@Singleton
public class AdminPriming extends Priming {

    public AdminPriming(ApplicationContext context, PrimingConfiguration configuration) {
        super(context, configuration);
    }

    @Override
    protected void round(Requests requests) {
        requests.admin("GET", "/admin/products", null, 200);
        requests.admin("GET", "/admin/products/__priming-unknown/stats", null, 404);
        requests.admin("POST", "/admin/products", "{\"name\":\"priming\"}", 400);
    }
}
