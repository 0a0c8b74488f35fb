package com.flashsale.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventServletRequest;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.function.Function;

/**
 * Puts API Gateway's request id (from the event, never from the Lambda context) into the log MDC
 * for the JSON log lines of this request, and logs one access line at DEBUG.
 *
 * <p>The request is matched on its final class, not on an interface such as {@code ServletExchange}:
 * on Java 17 an interface check against a class with many interfaces scans them and rewrites a
 * cache in the class that every request thread shares, and Micronaut checks other interfaces of
 * the same request all the time. Under load that one line took 12 % of the buy function's CPU
 * (JFR, docs/benchmarks.md).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestLogFilter implements io.micronaut.core.order.Ordered {

    public static final String MDC_KEY = "requestId";
    private static final Logger LOG = LoggerFactory.getLogger("com.flashsale.http.access");

    @RequestFilter
    public void before(HttpRequest<?> request) {
        if (request instanceof APIGatewayV2HTTPEventServletRequest<?> apiGateway) {
            MDC.put(MDC_KEY, Caller.requestId(apiGateway.getNativeRequest()));
        }
    }

    @ResponseFilter
    public void after(HttpRequest<?> request, MutableHttpResponse<?> response) {
        access(request.getMethodName(), request.getPath(), response.code());
        MDC.remove(MDC_KEY);
    }

    /**
     * The same request id in the MDC and the same access line, for a request a handler answers
     * without Micronaut's filters ({@link DirectRouteHandler}).
     */
    public static APIGatewayV2HTTPResponse logged(APIGatewayV2HTTPEvent event,
                                                  Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
        MDC.put(MDC_KEY, Caller.requestId(event));
        try {
            APIGatewayV2HTTPResponse response = handler.apply(event);
            access(event.getRequestContext().getHttp().getMethod(), event.getRawPath(), response.getStatusCode());
            return response;
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    private static void access(String method, String path, int status) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} -> {}", method, path, status);
        }
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }
}
