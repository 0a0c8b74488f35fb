package com.flashsale.result;

import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.redis.ProductCard;

import java.time.Instant;

/** Rows for the result function to read, written straight into its database. */
class ResultRows {

    final RealServers.Database database;

    ResultRows(RealServers.Database database) {
        this.database = database;
    }

    void execute(String sql, Object... parameters) {
        TestServers.execute(database, sql, parameters);
    }

    ProductCard insertProduct(ProductCard product, int stockLeft) {
        execute("INSERT INTO product (id, name, price_cents, stock_total, stock_left, starts_at, ends_at, limit_per_user) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", product.productId(), product.name(), product.priceCents(),
                product.stock(), stockLeft, product.startsAt(), product.endsAt(), product.limitPerUser());
        return product;
    }

    void insertOrder(String orderId, String requestId, ProductCard product, String userId) {
        execute("INSERT INTO purchase_order (id, request_id, product_id, user_id, quantity, price_cents, status, pay_by) "
                + "VALUES (?, ?, ?, ?, 1, ?, 'PENDING_PAYMENT', ?)", orderId, requestId, product.productId(), userId,
                product.priceCents(), Instant.now().plusSeconds(900));
        execute("INSERT INTO purchase_request (request_id, product_id, user_id, quantity, status, order_id, accepted_at) "
                + "VALUES (?, ?, ?, 1, 'SUCCESS', ?, ?)", requestId, product.productId(), userId, orderId, Instant.now());
    }
}
