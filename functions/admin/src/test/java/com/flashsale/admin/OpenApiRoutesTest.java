package com.flashsale.admin;

import com.flashsale.http.OpenApiRoutesContract;

class OpenApiRoutesTest extends OpenApiRoutesContract {

    @Override
    protected String function() {
        return "admin";
    }
}
