package com.flashsale.http;

import com.flashsale.shared.redis.ProductCard;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A row of the {@code product} table, the truth about a product. */
public record ProductRow(String id, String name, long priceCents, int stockTotal, int stockLeft, Instant startsAt,
                         Instant endsAt, int limitPerUser, Instant preloadedAt) {

    public static final String COLUMNS =
            "id, name, price_cents, stock_total, stock_left, starts_at, ends_at, limit_per_user, preloaded_at";

    public static ProductRow of(ResultSet row) throws SQLException {
        return new ProductRow(row.getString("id"), row.getString("name"), row.getLong("price_cents"),
                row.getInt("stock_total"), row.getInt("stock_left"), Sql.instant(row, "starts_at"),
                Sql.instant(row, "ends_at"), row.getInt("limit_per_user"), Sql.instant(row, "preloaded_at"));
    }

    public static Optional<ProductRow> find(Sql sql, String productId) {
        return sql.one("SELECT " + COLUMNS + " FROM product WHERE id = ?", ProductRow::of, productId);
    }

    public ProductCard card() {
        return new ProductCard(id, name, priceCents, stockTotal, startsAt, endsAt, limitPerUser);
    }

    /** API.md's product fields (admin create). */
    public Map<String, Object> adminView() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("productId", id);
        view.put("name", name);
        view.put("priceCents", priceCents);
        view.put("stock", stockTotal);
        view.put("startsAt", startsAt.toString());
        view.put("endsAt", endsAt.toString());
        view.put("limitPerUser", limitPerUser);
        return view;
    }
}
