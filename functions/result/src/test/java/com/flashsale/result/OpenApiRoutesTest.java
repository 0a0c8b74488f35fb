package com.flashsale.result;

import com.flashsale.http.OpenApiRoutesContract;

class OpenApiRoutesTest extends OpenApiRoutesContract {

    @Override
    protected String function() {
        return "result";
    }
}
