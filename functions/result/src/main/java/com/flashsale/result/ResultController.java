package com.flashsale.result;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.flashsale.http.ApiException;
import com.flashsale.http.Caller;
import com.flashsale.http.Dependencies;
import com.flashsale.http.Gates;
import com.flashsale.http.RedisAccess;
import com.flashsale.http.Sql;
import com.flashsale.shared.event.RequestStatus;
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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/flash-sale/result/{requestId}} and {@code GET /api/orders/{orderId}}: only the
 * owner may read them; anyone else, and any unknown or malformed id, gets 404.
 */
@Controller
public class ResultController {

    private static final Logger LOG = LoggerFactory.getLogger(ResultController.class);

    private final RedisAccess redis;
    private final BeanProvider<SaleGate> gate;
    private final Sql sql;

    public ResultController(RedisAccess redis, BeanProvider<SaleGate> gate, Sql sql) {
        this.redis = redis;
        this.gate = gate;
        this.sql = sql;
    }

    @Operation(summary = "The outcome of a buy request: PENDING, SUCCESS (with orderId) or FAILED (with reason)")
    @Get("/api/flash-sale/result/{requestId}")
    public Map<String, Object> result(@Parameter(hidden = true) APIGatewayV2HTTPEvent event,
                                      @PathVariable String requestId) {
        Caller caller = Caller.user(event);
        String productId = RequestIds.productOf(requestId).orElseThrow(ResultController::requestNotFound);
        Map<String, String> state;
        boolean redisDown = false;
        try {
            state = redis.hgetall(RedisKeys.product(productId).request(requestId));
        } catch (ApiException e) {
            // Redis is down: Postgres still knows every decided request; a pending one must wait
            state = null;
            redisDown = true;
        }
        if (state != null && state.get("status") != null) {
            if (!caller.userId().equals(state.get("userId"))) {
                throw requestNotFound();
            }
            return view(requestId, productId, parseQuantity(state.get("quantity")), state.get("status"),
                    state.get("orderId"), state.get("reason"));
        }
        // Redis forgot it (expired, or lost in a failover): Postgres keeps every decided request
        RequestState stored = sql.one("SELECT product_id, user_id, quantity, status, order_id, reason "
                        + "FROM purchase_request WHERE request_id = ?",
                row -> new RequestState(requestId, row.getString("product_id"), row.getString("user_id"),
                        row.getInt("quantity"), RequestStatus.valueOf(row.getString("status")),
                        row.getString("order_id"), row.getString("reason")), requestId)
                .filter(row -> caller.userId().equals(row.userId()))
                .orElse(null);
        if (stored == null) {
            throw redisDown ? ApiException.unavailable("the result store is unavailable; please retry") : requestNotFound();
        }
        if (!redisDown) {
            refill(stored);
        }
        return view(requestId, stored.productId(), stored.quantity(), stored.status().name(), stored.orderId(),
                stored.reason());
    }

    @Operation(summary = "One of the caller's orders")
    @Get("/api/orders/{orderId}")
    public Map<String, Object> order(@Parameter(hidden = true) APIGatewayV2HTTPEvent event, @PathVariable String orderId) {
        Caller caller = Caller.user(event);
        // PostgreSQL text cannot hold NUL: the driver's error would be a 503 for a plain bad id
        if (orderId.length() > 128 || orderId.indexOf('\0') >= 0) {
            throw ApiException.notFound("no such order");
        }
        Optional<Map<String, Object>> order = sql.one("SELECT id, request_id, product_id, user_id, quantity, "
                        + "price_cents, status, created_at, pay_by FROM purchase_order WHERE id = ?",
                row -> {
                    if (!caller.userId().equals(row.getString("user_id"))) {
                        return null;
                    }
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("orderId", row.getString("id"));
                    view.put("requestId", row.getString("request_id"));
                    view.put("productId", row.getString("product_id"));
                    view.put("quantity", row.getInt("quantity"));
                    view.put("priceCents", row.getLong("price_cents"));
                    view.put("status", row.getString("status"));
                    view.put("createdAt", Sql.instant(row, "created_at").toString());
                    view.put("payBy", Sql.instant(row, "pay_by").toString());
                    return view;
                }, orderId);
        return order.orElseThrow(() -> ApiException.notFound("no such order"));
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
