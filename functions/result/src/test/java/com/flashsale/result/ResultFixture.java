package com.flashsale.result;

import com.flashsale.http.LambdaHarness;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.redis.ProductCard;

import java.time.Instant;
import java.util.Map;

/** The result function over the real servers, with a fresh database and rows to read. */
final class ResultFixture implements AutoCloseable {

    final TestServers servers;
    final RealServers.Database database;
    final LambdaHarness result;

    ResultFixture(RealServers realServers) {
        servers = new TestServers(realServers);
        database = realServers.freshDatabase("result");
        Map<String, Object> properties = servers.redisProperties();
        properties.putAll(TestServers.databaseProperties(database));
        result = new LambdaHarness(properties);
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

    @Override
    public void close() {
        result.close();
        servers.close();
    }
}
