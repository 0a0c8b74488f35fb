package com.flashsale.buy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.flashsale.http.ApiException;
import com.flashsale.http.Caller;
import com.flashsale.http.Dependencies;
import com.flashsale.http.EventHeaders;
import com.flashsale.http.Gates;
import com.flashsale.http.JsonBody;
import com.flashsale.http.Outcomes;
import com.flashsale.http.ProductCatalog;
import com.flashsale.http.ProductView;
import com.flashsale.http.DenyList;
import com.flashsale.http.RateLimitConfiguration;
import com.flashsale.http.Refusals;
import com.flashsale.shared.event.OrderEvent;
import com.flashsale.shared.redis.Admission;
import com.flashsale.shared.redis.PurchaseAttempt;
import com.flashsale.shared.redis.RateLimit;
import com.flashsale.shared.redis.RequestIds;
import com.flashsale.shared.redis.SaleGate;
import com.flashsale.shared.token.InvalidPurchaseTokenException;
import com.flashsale.shared.token.PurchaseToken;
import com.flashsale.shared.token.PurchaseTokenCodec;
import io.micronaut.context.BeanProvider;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.parameters.RequestBody;

import java.time.Clock;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * {@code POST /api/flash-sale/buy}: cheap checks first (JSON, quantity, deny list, the product card's
 * pause and stock, the container's sold-out flag, token signature and expiry), then ONE admission
 * script call (per-user and per-IP buy limits, window, pause, spent nonce, stock), then the order
 * event to Kafka. Refusals, most of a flash sale's answers, are thrown as {@link ApiException}s and
 * answered by {@link BuyHandler}, not through the framework's exception handling.
 */
@Controller("/api/flash-sale")
public class BuyController {

    private static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** What PurchaseTokenCodec says of an authentic token past its expiry. */
    private static final String EXPIRED = "expired";

    private final JsonBody jsonBody;
    private final ProductCatalog catalog;
    private final PurchaseTokenCodec tokens;
    private final SoldOutFlags soldOut;
    private final DenyList denyList;
    private final RateLimit perUser;
    private final RateLimit perIp;
    private final BeanProvider<SaleGate> gate;
    private final OrderPublisher publisher;
    private final Outcomes outcomes;
    private final Clock clock;

    public BuyController(JsonBody jsonBody, ProductCatalog catalog, PurchaseTokenCodec tokens, SoldOutFlags soldOut,
                         DenyList denyList, RateLimitConfiguration limits, BeanProvider<SaleGate> gate, OrderPublisher publisher,
                         Outcomes outcomes, Clock clock) {
        this.jsonBody = jsonBody;
        this.catalog = catalog;
        this.tokens = tokens;
        this.soldOut = soldOut;
        this.denyList = denyList;
        this.perUser = limits.user().limit("buy-user");
        this.perIp = limits.ip().limit("buy-ip");
        this.gate = gate;
        this.publisher = publisher;
        this.outcomes = outcomes;
        this.clock = clock;
    }

    @Operation(summary = "Try to buy: 202 with a request id to poll, or a refusal")
    @RequestBody(description = "{\"productId\":\"...\",\"quantity\":1,\"token\":\"...\"}")
    @Post("/buy")
    @Parameter(in = ParameterIn.HEADER, name = IDEMPOTENCY_KEY_HEADER, description = "1..64 characters of [A-Za-z0-9_-]")
    public HttpResponse<Accepted> buy(@Parameter(hidden = true) APIGatewayV2HTTPEvent event) {
        String idempotencyKey = EventHeaders.get(event, IDEMPOTENCY_KEY_HEADER);
        Caller caller = Caller.user(event);
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ApiException.invalid("Idempotency-Key must be 1..64 characters of [A-Za-z0-9_-]");
        }
        JsonBody.Fields body = jsonBody.read(event);
        String productId = Refusals.productId(body);
        int quantity = body.optionalLong("quantity", 1, 10).orElse(1L).intValue();
        String token = body.optionalString("token").orElse(null);

        denyList.refuseIfListed(caller.userId());
        ProductView product = catalog.find(productId).orElseThrow(Refusals::productNotFound);
        if (quantity > product.limitPerUser()) {
            throw ApiException.invalid("quantity must be between 1 and " + product.limitPerUser());
        }
        if (idempotencyKey == null && product.paused()) {
            // the card knows within a second; a retry with an Idempotency-Key asks the script (replay first)
            throw Refusals.salePaused();
        }
        boolean soldOutHere = product.soldOut() || soldOut.isSoldOut(productId);
        if (idempotencyKey == null && soldOutHere) {
            // the crowd after the last unit: refused before its token is even checked (a retry with an
            // Idempotency-Key goes on, below, to get its first request id)
            throw Refusals.soldOut();
        }
        String nonce;
        Instant tokenExpiresAt;
        try {
            PurchaseToken verified = tokens.verify(token, caller.userId(), productId, clock.instant());
            nonce = verified.nonce();
            tokenExpiresAt = verified.expiresAt();
        } catch (InvalidPurchaseTokenException e) {
            if (idempotencyKey == null || !EXPIRED.equals(e.getMessage())) {
                throw Refusals.invalidToken(e.getMessage());
            }
            // an authentic token that expired since: a client retrying with its Idempotency-Key still
            // gets its first request id; without a first request the admission refuses the token
            nonce = null;
            tokenExpiresAt = clock.instant();
        }
        String requestId = RequestIds.newRequestId(productId);
        PurchaseAttempt attempt = new PurchaseAttempt(requestId, caller.userId(), productId, quantity, nonce,
                tokenExpiresAt, caller.sourceIp(), idempotencyKey);
        if (idempotencyKey != null && nonce != null && soldOutHere) {
            // the flag keeps the crowd away from the admission script, but a client's retry of an
            // accepted request must still get its first request id
            Admission replay = Dependencies.await(Gates.get(gate).findFirstRequest(attempt)).orElseThrow(Refusals::soldOut);
            return respond(replay, attempt);
        }
        return respond(Dependencies.await(Gates.get(gate).admit(attempt, perUser, perIp)), attempt);
    }

    private HttpResponse<Accepted> respond(Admission admission, PurchaseAttempt attempt) {
        String productId = attempt.productId();
        return switch (admission.outcome()) {
            case ACCEPTED -> {
                outcomes.count("ACCEPTED");
                soldOut.markInStock(productId);
                // the request id names the stock shard the admission ran in: the admission's, not the attempt's
                boolean published = publisher.publish(OrderEvent.of(admission.requestId(), productId, attempt.userId(),
                        attempt.quantity(), Instant.ofEpochMilli(admission.acceptedAtMs())), admission.outboxEntryId());
                outcomes.count(published ? "PUBLISHED" : "PUBLISH_DEFERRED");
                yield HttpResponse.accepted().body(new Accepted(admission.requestId(), "PENDING"));
            }
            case DUPLICATE -> {
                outcomes.count("DUPLICATE");
                yield HttpResponse.accepted().body(new Accepted(admission.requestId(), "PENDING"));
            }
            case IDEMPOTENCY_MISMATCH -> throw ApiException.conflict("CONFLICT",
                    "this Idempotency-Key was used with another quantity").with("requestId", admission.requestId());
            case ALREADY_PURCHASED -> throw ApiException.conflict("ALREADY_PURCHASED",
                    "you already bought this product").with("requestId", admission.requestId());
            case SOLD_OUT -> {
                soldOut.markSoldOut(productId);
                throw Refusals.soldOut();
            }
            case SALE_NOT_STARTED -> throw Refusals.saleNotStarted(admission.startsAtMs(), admission.serverTimeMs());
            case SALE_ENDED -> throw Refusals.saleEnded();
            case SALE_PAUSED -> throw Refusals.salePaused();
            case RATE_LIMITED -> throw Refusals.rateLimited(admission.rateLimit());
            case QUANTITY_OVER_LIMIT -> throw ApiException.invalid(
                    "quantity must be between 1 and " + admission.limitPerUser());
            case INVALID_TOKEN -> throw Refusals.invalidToken("expired or already used");
            case NOT_FOUND -> throw Refusals.productNotFound();
        };
    }

    /** The 202 body. */
    @Serdeable
    public record Accepted(String requestId, String status) {
    }
}
