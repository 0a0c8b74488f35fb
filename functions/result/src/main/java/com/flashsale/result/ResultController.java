package com.flashsale.result;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.flashsale.http.ApiException;
import com.flashsale.http.Caller;
import com.flashsale.http.Dependencies;
import com.flashsale.http.DependencyBreakers;
import com.flashsale.http.Gates;
import com.flashsale.http.RateLimiter;
import com.flashsale.http.RedisAccess;
import com.flashsale.shared.db.OrderRepository;
import com.flashsale.shared.db.PurchaseOrder;
import com.flashsale.shared.db.PurchaseRequest;
import com.flashsale.shared.event.RequestStatus;
import com.flashsale.shared.db.RequestRepository;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.redis.RequestIds;
import com.flashsale.shared.redis.RequestState;
import com.flashsale.shared.redis.SaleGate;
import io.micronaut.context.BeanProvider;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/flash-sale/result/{requestId}} and {@code GET /api/orders/{orderId}}: only the
 * owner may read them; anyone else, and any unknown or malformed id, gets 404. Postgres is read
 * when Redis does not have the request (an unknown id at most once, {@link UnknownIds}); both
 * routes are rate limited per user and per client address (buckets "result-user", "result-ip").
 */
@Controller
public class ResultController {

    private static final Logger LOG = LoggerFactory.getLogger(ResultController.class);

    private final RedisAccess redis;
    private final BeanProvider<SaleGate> gate;
    private final RequestRepository requests;
    private final OrderRepository orders;
    private final Duration confirmPendingAfter;
    private final UnknownIds unknownIds;
    private final RateLimiter rateLimiter;
    private final DependencyBreakers breakers;

    public ResultController(RedisAccess redis, BeanProvider<SaleGate> gate, RequestRepository requests,
                            OrderRepository orders, ResultSettings settings, UnknownIds unknownIds,
                            RateLimiter rateLimiter, DependencyBreakers breakers) {
        this.redis = redis;
        this.gate = gate;
        this.requests = requests;
        this.orders = orders;
        this.confirmPendingAfter = settings.confirmPendingAfter();
        this.unknownIds = unknownIds;
        this.rateLimiter = rateLimiter;
        this.breakers = breakers;
    }

    @Operation(summary = "The outcome of a buy request: PENDING, SUCCESS (with orderId) or FAILED (with reason)")
    @Get("/api/flash-sale/result/{requestId}")
    public Map<String, Object> result(@Parameter(hidden = true) APIGatewayV2HTTPEvent event,
                                      @PathVariable String requestId) {
        Caller caller = Caller.user(event);
        String productId = RequestIds.productOf(requestId).orElseThrow(ResultController::requestNotFound);
        rateLimiter.checkRead("result", caller, caller.sourceIp());
        Map<String, String> state;
        boolean redisDown = false;
        try {
            state = redis.hgetall(RedisKeys.ofRequest(productId, requestId).request(requestId));
        } catch (ApiException e) {
            // Redis is down: Postgres still knows every decided request; a pending one must wait
            state = null;
            redisDown = true;
        }
        if (state != null && state.get("status") != null) {
            if (!caller.userId().equals(state.get("userId"))) {
                throw requestNotFound();
            }
            if (RequestStatus.PENDING.name().equals(state.get("status")) && pendingForLong(state.get("acceptedAt"))) {
                Optional<RequestState> decided = confirmedDecision(requestId, caller);
                if (decided.isPresent()) {
                    refill(decided.get());
                    return view(decided.get());
                }
            }
            return view(requestId, productId, parseQuantity(state.get("quantity")), state.get("status"),
                    state.get("orderId"), state.get("reason"));
        }
        // Redis forgot it (expired, or lost in a failover): Postgres keeps every decided request
        RequestState stored = unknownIds.find(UnknownIds.Kind.REQUEST, requestId, () -> requests.findById(requestId))
                .filter(row -> caller.userId().equals(row.userId()))
                .map(ResultController::state)
                .orElse(null);
        if (stored == null) {
            throw redisDown ? ApiException.unavailable("the result store is unavailable; please retry") : requestNotFound();
        }
        if (!redisDown) {
            refill(stored);
        }
        return view(stored);
    }

    /** Whether a PENDING accepted at {@code acceptedAtMs} (Redis time; absent: unknown, so old) is due a check. */
    private boolean pendingForLong(String acceptedAtMs) {
        try {
            return acceptedAtMs == null
                    || Instant.ofEpochMilli(Long.parseLong(acceptedAtMs)).plus(confirmPendingAfter).isBefore(Instant.now());
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * Postgres's decision on a request Redis still shows PENDING: a failover may have lost the
     * consumer's write. Postgres unreachable: the PENDING stands (the client polls again).
     */
    private Optional<RequestState> confirmedDecision(String requestId, Caller caller) {
        try {
            return breakers.database(() -> requests.findById(requestId))
                    .filter(row -> caller.userId().equals(row.userId())).map(ResultController::state);
        } catch (RuntimeException e) {
            LOG.warn("could not confirm the pending request {} against Postgres: {}", requestId, e.getMessage());
            return Optional.empty();
        }
    }

    private static RequestState state(PurchaseRequest row) {
        return new RequestState(row.requestId(), row.productId(), row.userId(), row.quantity(), row.status(), row.orderId(),
                row.reason());
    }

    private static Map<String, Object> view(RequestState state) {
        return view(state.requestId(), state.productId(), state.quantity(), state.status().name(), state.orderId(),
                state.reason());
    }

    @Operation(summary = "One of the caller's orders")
    @Get("/api/orders/{orderId}")
    public Map<String, Object> order(@Parameter(hidden = true) APIGatewayV2HTTPEvent event, @PathVariable String orderId) {
        Caller caller = Caller.user(event);
        // PostgreSQL text cannot hold NUL: the driver's error would be a 503 for a plain bad id
        if (orderId.length() > 128 || orderId.indexOf('\0') >= 0) {
            throw ApiException.notFound("no such order");
        }
        rateLimiter.checkRead("result", caller, caller.sourceIp());
        return unknownIds.find(UnknownIds.Kind.ORDER, orderId, () -> orders.findById(orderId))
                .filter(row -> caller.userId().equals(row.userId()))
                .map(ResultController::view)
                .orElseThrow(() -> ApiException.notFound("no such order"));
    }

    private static Map<String, Object> view(PurchaseOrder order) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("orderId", order.id());
        view.put("requestId", order.requestId());
        view.put("productId", order.productId());
        view.put("quantity", order.quantity());
        view.put("priceCents", order.priceCents());
        view.put("status", order.status().name());
        view.put("createdAt", order.createdAt().toString());
        view.put("payBy", order.payBy().toString());
        return view;
    }

    private void refill(RequestState state) {
        try {
            Dependencies.await(Gates.get(gate).setRequestState(state));
        } catch (ApiException e) {
            LOG.warn("could not refill the state of {} into Redis", state.requestId());
        }
    }

    private static Map<String, Object> view(String requestId, String productId, int quantity, String status,
                                            String orderId, String reason) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("requestId", requestId);
        view.put("productId", productId);
        view.put("quantity", quantity);
        view.put("status", status);
        if (orderId != null && !orderId.isEmpty()) {
            view.put("orderId", orderId);
        }
        if (reason != null && !reason.isEmpty()) {
            view.put("reason", reason);
        }
        return view;
    }

    private static int parseQuantity(String quantity) {
        try {
            return quantity == null ? 1 : Integer.parseInt(quantity);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static ApiException requestNotFound() {
        return ApiException.notFound("no such request");
    }
}
