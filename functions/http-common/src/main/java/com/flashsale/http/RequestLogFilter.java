package com.flashsale.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.servlet.http.ServletExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Puts API Gateway's request id (from the event, never from the Lambda context) into the log MDC
 * for the JSON log lines of this request, and logs one access line at DEBUG.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestLogFilter implements io.micronaut.core.order.Ordered {

    public static final String MDC_KEY = "requestId";
    private static final Logger LOG = LoggerFactory.getLogger("com.flashsale.http.access");

    @RequestFilter
    public void before(HttpRequest<?> request) {
        if (request instanceof ServletExchange<?, ?> exchange
                && exchange.getRequest().getNativeRequest() instanceof APIGatewayV2HTTPEvent event) {
            MDC.put(MDC_KEY, Caller.requestId(event));
        }
    }

    @ResponseFilter
    public void after(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} -> {}", request.getMethodName(), request.getPath(), response.code());
        }
        MDC.remove(MDC_KEY);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }
}
