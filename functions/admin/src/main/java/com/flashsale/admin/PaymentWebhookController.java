package com.flashsale.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.flashsale.http.ApiException;
import com.flashsale.http.EventHeaders;
import com.flashsale.http.JsonBody;
import com.flashsale.http.Outcomes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The payment provider's webhook (no JWT: the provider signs each delivery, see {@link WebhookSignature}).
 * The signature is checked on the raw body before anything is read from it.
 */
@Controller("/payments")
public class PaymentWebhookController {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentWebhookController.class);
    private static final int MAX_ID_LENGTH = 128;

    private final WebhookSignature signature;
    private final JsonBody jsonBody;
    private final PaymentWebhook webhook;
    private final Outcomes outcomes;

    public PaymentWebhookController(WebhookSignature signature, JsonBody jsonBody, PaymentWebhook webhook,
                                    Outcomes outcomes) {
        this.signature = signature;
        this.jsonBody = jsonBody;
        this.webhook = webhook;
        this.outcomes = outcomes;
    }

    @Operation(summary = "The payment provider's signed notice that an order is paid; each event answered once")
    @RequestBody(description = "{\"eventId\",\"orderId\",\"amountCents\",\"currency\",\"providerRef\",\"status\":\"SUCCEEDED\"}")
    @Post("/webhook")
    public Map<String, Object> webhook(@Parameter(hidden = true) APIGatewayV2HTTPEvent event) {
        signature.verify(EventHeaders.get(event, WebhookSignature.HEADER), rawBody(event));
        JsonBody.Fields body = jsonBody.read(event);
        if (!"SUCCEEDED".equals(body.requiredString("status"))) {
            throw ApiException.invalid("status must be SUCCEEDED");
        }
        PaymentWebhook.Payment payment = new PaymentWebhook.Payment(id(body, "eventId"), id(body, "orderId"),
                body.requiredLong("amountCents", 0, Long.MAX_VALUE), body.requiredString("currency"), id(body, "providerRef"));
        PaymentWebhook.Settled settled = webhook.settle(payment);
        outcomes.count(settled.replay() ? "WEBHOOK_REPLAYED" : "WEBHOOK_PAID");
        LOG.info("payment event {} for order {}{}", payment.eventId(), payment.orderId(), settled.replay() ? " (replayed)" : "");
        return settled.answer();
    }

    /** An identifier PostgreSQL text holds as it is: 1..128 characters, no NUL. */
    private static String id(JsonBody.Fields body, String field) {
        String value = body.requiredString(field);
        if (value.isEmpty() || value.length() > MAX_ID_LENGTH || value.indexOf('\0') >= 0) {
            throw ApiException.invalid(field + " must be 1.." + MAX_ID_LENGTH + " characters, without NUL");
        }
        return value;
    }

    private static byte[] rawBody(APIGatewayV2HTTPEvent event) {
        String body = event.getBody() == null ? "" : event.getBody();
        try {
            return event.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("the body is not valid base64");
        }
    }
}
