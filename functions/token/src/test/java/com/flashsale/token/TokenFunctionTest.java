package com.flashsale.token;

import com.flashsale.http.FunctionTest;
import com.flashsale.http.LambdaHarness;
import com.flashsale.local.servers.RealServers;
import io.micronaut.context.ApplicationContext;

import java.util.Map;

/** A test of the token function through functions.json's handler for it, {@link TokenHandler}. */
public abstract class TokenFunctionTest extends FunctionTest {

    protected TokenFunctionTest(RealServers realServers) {
        super(realServers);
    }

    @Override
    protected LambdaHarness newHandler(ApplicationContext context) {
        return new LambdaHarness(context, TokenHandler::new);
    }

    /** Token's handler over a context of its own with these settings. */
    public static LambdaHarness harness(Map<String, Object> properties) {
        return new LambdaHarness(properties, TokenHandler::new);
    }
}
