package com.flashsale.shared.db;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code product} table: the catalogue and the stock that Postgres guards. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ProductRepository extends GenericRepository<Product, String> {

    /** The columns of {@link Product}, for the queries written by hand. */
    String COLUMNS = "id, name, price_cents, stock_total, stock_left, starts_at, ends_at, limit_per_user, preloaded_at, "
            + "human_check, human_check_difficulty, shards, paused";

    Optional<Product> findById(String id);

    /** A new product (admin); its {@code created_at} is the database's. */
    Product save(Product product);

    /** The database's clock: the card's {@code serverTime} when Redis, the clock the sale runs on, is down. */
    @Query("SELECT now()")
    Instant now();

    /** Records the first preload into Redis; a later one keeps the first time. */
    @Query("UPDATE product SET preloaded_at = coalesce(preloaded_at, now()) WHERE id = :id")
    int markPreloaded(String id);

    /** Pauses or resumes a sale; 0 when there is no such product. */
    @Query("UPDATE product SET paused = :paused WHERE id = :id")
    int setPaused(String id, boolean paused);

    /** The newest products first (the admin's list), at most {@code limit}. */
    @Query("SELECT " + COLUMNS + " FROM product ORDER BY starts_at DESC, id LIMIT :limit")
    List<Product> findNewest(int limit);

    /**
     * Locks these products' rows, in id order (so that concurrent batches never deadlock), and reads
     * what the order consumer decides on: price and stock left.
     */
    @Query("SELECT id, price_cents, stock_left FROM product WHERE id = ANY (:ids::text[]) ORDER BY id FOR UPDATE")
    List<Stock> lockStock(String[] ids);

    /** Products whose sale starts within {@code warmUpSeconds}, is open, or ended less than {@code recentSeconds} ago. */
    @Query("SELECT " + COLUMNS + " FROM product WHERE starts_at <= now() + make_interval(secs => :warmUpSeconds) "
            + "AND ends_at > now() - make_interval(secs => :recentSeconds) ORDER BY starts_at, id")
    List<Product> findWatched(long warmUpSeconds, long recentSeconds);

    /** The product's stock left and the quantity its active (not cancelled) orders hold, summed in SQL. */
    @Query("SELECT p.stock_left, (SELECT coalesce(sum(o.quantity), 0) FROM purchase_order o "
            + "WHERE o.product_id = p.id AND o.status <> 'CANCELLED') AS active_quantity FROM product p WHERE p.id = :id")
    Optional<Totals> findTotals(String id);

    /** Gives the stock of cancelled orders back: {@code quantities[i]} units to product {@code ids[i]}. */
    @Query("UPDATE product p SET stock_left = p.stock_left + b.quantity "
            + "FROM unnest(:ids::text[], :quantities::int[]) AS b(id, quantity) WHERE p.id = b.id")
    int restoreStock(String[] ids, int[] quantities);

    /** A locked product's price and stock left. */
    @Introspected
    record Stock(String id, long priceCents, int stockLeft) {
    }

    /** Stock left in Postgres and the quantity held by active orders. */
    @Introspected
    record Totals(int stockLeft, long activeQuantity) {
    }
}
