package com.flashsale.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One warm function: a Micronaut context and the real Lambda handler over it, called the way the
 * Lambda runtime calls it (an event and a new context per invocation).
 */
public final class LambdaHarness implements AutoCloseable {

    private final ApplicationContext context;
    private final boolean ownsContext;
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;
    private final JsonMapper json;

    /** The handler over a context of its own with these settings, closed with it. */
    public LambdaHarness(Map<String, Object> properties) {
        this(properties, APIGatewayV2HTTPEventFunction::new);
    }

    /** A function's own handler class over a context of its own with these settings, closed with it. */
    public LambdaHarness(Map<String, Object> properties,
                         Function<ApplicationContext, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handler) {
        this(ApplicationContext.builder().environments("test").properties(properties).start(), true, handler);
    }

    /** The handler over a running context that stays its owner's (a {@code @MicronautTest}'s). */
    public LambdaHarness(ApplicationContext context) {
        this(context, false, APIGatewayV2HTTPEventFunction::new);
    }

    /** A function's own handler class (its constructor taking the context) over a running context that stays its owner's. */
    public LambdaHarness(ApplicationContext context,
                         Function<ApplicationContext, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handler) {
        this(context, false, handler);
    }

    private LambdaHarness(ApplicationContext context, boolean ownsContext,
                          Function<ApplicationContext, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handler) {
        this.context = context;
        this.ownsContext = ownsContext;
        this.handler = handler.apply(context);
        json = context.getBean(JsonMapper.class);
    }

    public ApplicationContext context() {
        return context;
    }

    public APIGatewayV2HTTPResponse raw(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, new MockLambdaContext());
    }

    public Reply invoke(Events events) {
        return invoke(events.event());
    }

    public Reply invoke(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = raw(event);
        Map<String, Object> body = null;
        String text = response.getBody();
        if (text != null && !text.isEmpty()) {
            try {
                body = json.readValue(text, Map.class);
            } catch (IOException | RuntimeException e) {
                body = Map.of("unparsable", text);
            }
        }
        Map<String, String> headers = new HashMap<>();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v));
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((k, v) -> headers.putIfAbsent(k.toLowerCase(), String.join(",", v)));
        }
        return new Reply(response.getStatusCode(), headers, body == null ? Map.of() : body);
    }

    @Override
    public void close() {
        try {
            if (handler instanceof AutoCloseable closeable) {
                closeable.close(); // a handler made over a given context leaves it open
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (ownsContext && context.isRunning()) {
                context.close();
            }
        }
    }

    /** A response: status, lower-cased headers and the JSON body as a map. */
    public record Reply(int status, Map<String, String> headers, Map<String, Object> body) {

        public String error() {
            return (String) body.get("error");
        }

        public String string(String field) {
            Object value = body.get(field);
            return value == null ? null : value.toString();
        }

    }
}
