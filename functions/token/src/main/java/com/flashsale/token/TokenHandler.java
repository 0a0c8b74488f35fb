package com.flashsale.token;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.flashsale.http.DirectRouteHandler;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import io.micronaut.http.HttpResponse;

/**
 * Lambda's handler of the token function: {@code POST /api/flash-sale/token}, the crowd's first
 * request, goes straight to {@link TokenController} ({@link DirectRouteHandler}); the challenge and
 * every other request go through Micronaut's adapter. {@code TokenHandlerEquivalenceTest} holds both
 * ways to the same answers.
 */
public class TokenHandler extends DirectRouteHandler {

    static final String TOKEN_PATH = "/api/flash-sale/token";

    private final TokenController token;

    /** Lambda's: starts the function's context, as Micronaut's handler does. */
    public TokenHandler() {
        this(new APIGatewayV2HTTPEventFunction());
    }

    /** Over a running context, which stays open when this handler closes (priming, tests). */
    public TokenHandler(ApplicationContext context) {
        this(new APIGatewayV2HTTPEventFunction(context));
    }

    private TokenHandler(APIGatewayV2HTTPEventFunction micronaut) {
        super(micronaut, TOKEN_PATH);
        this.token = getApplicationContext().getBean(TokenController.class);
    }

    @Override
    protected HttpResponse<?> answer(APIGatewayV2HTTPEvent event) {
        return HttpResponse.ok(token.token(event));
    }
}
