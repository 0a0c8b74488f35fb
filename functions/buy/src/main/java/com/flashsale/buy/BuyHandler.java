package com.flashsale.buy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flashsale.http.ApiException;
import com.flashsale.http.EventHeaders;
import com.flashsale.http.JsonErrorResponseProcessor;
import com.flashsale.http.Outcomes;
import com.flashsale.http.RequestLogFilter;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextProvider;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.json.JsonMapper;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Lambda's handler of the buy function. {@code POST /api/flash-sale/buy} with a JSON body (or none),
 * the request a crowd sends, goes straight to {@link BuyController}, which already reads the event
 * and answers its refusals itself; every other request goes through Micronaut's API Gateway adapter
 * as before (unknown routes, other methods, other content types, the OpenAPI routes). The adapter's
 * request and response lifecycle around the controller had a third of the function's CPU samples
 * in the sold-out phase (JFR, docs/benchmarks.md section 3); without it the sold-out phase after 5 s
 * answered 39,000 to 47,000 requests/s instead of 16,000 to 29,000, p99 5.7 to 7.6 ms instead of
 * 12.6 to 18.3 ms. {@code BuyHandlerEquivalenceTest} holds both ways to the same answers.
 */
public class BuyHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>,
        ApplicationContextProvider, Closeable {

    static final String BUY_PATH = "/api/flash-sale/buy";

    private final APIGatewayV2HTTPEventFunction micronaut;
    private final BuyController buy;
    private final JsonMapper json;
    private final Outcomes outcomes;

    /** Lambda's: starts the function's context, as Micronaut's handler does. */
    public BuyHandler() {
        this(new APIGatewayV2HTTPEventFunction());
    }

    /** Over a running context, which stays open when this handler closes (priming, tests). */
    public BuyHandler(ApplicationContext context) {
        this(new APIGatewayV2HTTPEventFunction(context));
    }

    private BuyHandler(APIGatewayV2HTTPEventFunction micronaut) {
        this.micronaut = micronaut;
        ApplicationContext context = micronaut.getApplicationContext();
        this.buy = context.getBean(BuyController.class);
        this.json = context.getBean(JsonMapper.class);
        this.outcomes = context.getBean(Outcomes.class);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return isBuy(event) ? RequestLogFilter.logged(event, this::buy) : micronaut.handleRequest(event, context);
    }

    private static boolean isBuy(APIGatewayV2HTTPEvent event) {
        var requestContext = event.getRequestContext();
        var http = requestContext == null ? null : requestContext.getHttp();
        return http != null && "POST".equals(http.getMethod()) && BUY_PATH.equals(event.getRawPath())
                && isJsonOrAbsent(EventHeaders.get(event, HttpHeaders.CONTENT_TYPE));
    }

    /** What Micronaut's {@code @Post} accepts without a 415: JSON, with parameters, or no type at all. */
    private static boolean isJsonOrAbsent(String contentType) {
        if (contentType == null) {
            return true;
        }
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
        return type.equals(MediaType.APPLICATION_JSON);
    }

    private APIGatewayV2HTTPResponse buy(APIGatewayV2HTTPEvent event) {
        HttpResponse<?> response;
        try {
            response = buy.buy(event);
        } catch (RuntimeException unexpected) {
            ApiException failure = JsonErrorResponseProcessor.unhandled(unexpected, HttpStatus.INTERNAL_SERVER_ERROR);
            outcomes.count(failure.code());
            response = failure.response();
        }
        String body;
        try {
            body = json.writeValueAsString(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the headers Micronaut's adapter sends with it
        Map<String, String> headers = new HashMap<>();
        response.getHeaders().forEachValue(headers::put);
        headers.put(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        headers.put(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        headers.put(HttpHeaders.DATE, DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.code())
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }

    @Override
    public ApplicationContext getApplicationContext() {
        return micronaut.getApplicationContext();
    }

    @Override
    public void close() {
        micronaut.close();
    }
}
