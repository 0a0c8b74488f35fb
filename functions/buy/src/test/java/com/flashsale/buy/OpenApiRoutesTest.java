package com.flashsale.buy;

import com.flashsale.http.OpenApiRoutesContract;

class OpenApiRoutesTest extends OpenApiRoutesContract {

    @Override
    protected String function() {
        return "buy";
    }
}
