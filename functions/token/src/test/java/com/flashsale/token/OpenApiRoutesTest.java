package com.flashsale.token;

import com.flashsale.http.OpenApiRoutesContract;

class OpenApiRoutesTest extends OpenApiRoutesContract {

    @Override
    protected String function() {
        return "token";
    }
}
