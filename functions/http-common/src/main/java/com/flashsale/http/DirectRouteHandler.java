package com.flashsale.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A function's Lambda handler that answers the route a crowd sends, {@code POST <path>} with a JSON
 * body (or none), itself, from the controller method that reads the event; every other request
 * goes through Micronaut's API Gateway adapter as before (unknown routes, other methods, other
 * content types, the OpenAPI routes). The adapter's request and response lifecycle around the
 * controller had a third of the function's CPU samples in the sold-out phase (JFR,
 * docs/benchmarks.md section 3). The answer keeps what the adapter gave that route: the access
 * line and request id ({@link RequestLogFilter#logged}), {@code Content-Type},
 * {@code Content-Length} and {@code Date}, an {@link ApiException} answered as
 * {@link ApiExceptionHandler} answers it, and a failure nobody handled as
 * {@link JsonErrorResponseProcessor#unhandled}. The functions' equivalence tests hold both ways to
 * the same answers.
 */
public abstract class DirectRouteHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>,
        ApplicationContextProvider, Closeable {

    private final APIGatewayV2HTTPEventFunction micronaut;
    private final String path;
    private final JsonMapper json;
    private final Outcomes outcomes;
    private volatile HttpDate date = new HttpDate(0, "");

    /** @param micronaut the adapter over the function's context, for every other request */
    protected DirectRouteHandler(APIGatewayV2HTTPEventFunction micronaut, String path) {
        this.micronaut = micronaut;
        this.path = path;
        ApplicationContext context = micronaut.getApplicationContext();
        this.json = context.getBean(JsonMapper.class);
        this.outcomes = context.getBean(Outcomes.class);
    }

    /** The route's answer: what its controller method returns. */
    protected abstract HttpResponse<?> answer(APIGatewayV2HTTPEvent event);

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return isDirect(event) ? RequestLogFilter.logged(event, this::respond) : micronaut.handleRequest(event, context);
    }

    private boolean isDirect(APIGatewayV2HTTPEvent event) {
        var requestContext = event.getRequestContext();
        var http = requestContext == null ? null : requestContext.getHttp();
        return http != null && "POST".equals(http.getMethod()) && path.equals(event.getRawPath())
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

    private APIGatewayV2HTTPResponse respond(APIGatewayV2HTTPEvent event) {
        HttpResponse<?> response;
        try {
            response = answer(event);
        } catch (ApiException refused) {
            outcomes.count(refused.code());
            response = refused.response();
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
        headers.put(HttpHeaders.DATE, date());
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.code())
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }

    /** The {@code Date} header: whole seconds, so formatted once a second, not per request. */
    private String date() {
        long now = Instant.now().getEpochSecond();
        HttpDate last = date;
        if (last.epochSecond() != now) {
            last = new HttpDate(now, DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochSecond(now).atOffset(ZoneOffset.UTC)));
            date = last;
        }
        return last.text();
    }

    private record HttpDate(long epochSecond, String text) {
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
