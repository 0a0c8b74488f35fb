package com.flashsale.reconciliation;

import com.flashsale.shared.db.OrderRepository;
import com.flashsale.shared.db.Product;
import com.flashsale.shared.db.ProductRepository;
import com.flashsale.shared.db.PurchaseRequest;
import com.flashsale.shared.db.RequestRepository;
import com.flashsale.shared.db.Settled;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.support.DefaultTransactionDefinition;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Read-only queries of the sales, their orders and their decided requests. Nothing here holds a
 * sale's orders in memory: totals are summed in SQL, and what must be walked row by row (to write
 * it to Redis) comes in chunks from a cursor (the datasource's default fetch size), so a run's
 * memory does not grow with the sale.
 */
@Singleton
class SaleQueries {

    /** Rows per chunk of a walk, and request ids per look-up. */
    static final int CHUNK = 5_000;

    /** One read-only snapshot: every query in it sees the same instant. */
    private static final TransactionDefinition SNAPSHOT = snapshot();

    private final ProductRepository products;
    private final OrderRepository orders;
    private final RequestRepository requests;
    private final TransactionOperations<Connection> transactions;

    SaleQueries(ProductRepository products, OrderRepository orders, RequestRepository requests,
                TransactionOperations<Connection> transactions) {
        this.products = products;
        this.orders = orders;
        this.requests = requests;
        this.transactions = transactions;
    }

    /** Sales starting within {@code warmUp}, open, or ended less than {@code recent} ago. */
    List<Product> salesToWatch(Duration warmUp, Duration recent) {
        return products.findWatched(warmUp.toSeconds(), recent.toSeconds());
    }

    /** Runs {@code work} in one read-only snapshot (REPEATABLE READ): every query in it sees the same instant. */
    <T> T inSnapshot(Supplier<T> work) {
        return transactions.execute(SNAPSHOT, status -> work.get());
    }

    /** The product's stock left and the quantity its active (not cancelled) orders hold (in the caller's snapshot). */
    ProductRepository.Totals totals(String productId) {
        return products.findTotals(productId).orElse(new ProductRepository.Totals(0, 0));
    }

    /** Which of these requests have no outcome in Postgres yet (only those come back). */
    Set<String> undecided(Collection<String> requestIds) {
        if (requestIds.isEmpty()) {
            return new HashSet<>();
        }
        return new HashSet<>(requests.findUndecided(requestIds.toArray(String[]::new)));
    }

    /** Requests the consumer failed, chunk by chunk: their Redis stock must have come back (idempotent to repeat). */
    void failedRequests(String productId, Consumer<List<Settled>> chunks) {
        walk(() -> requests.streamFailed(productId), chunks);
    }

    /** The product's decided requests, chunk by chunk: the states Redis must show. */
    void decided(String productId, Consumer<List<PurchaseRequest>> chunks) {
        walk(() -> requests.streamDecided(productId), chunks);
    }

    /** The product's active orders as (userId, requestId), chunk by chunk: the buyers Redis must know. */
    void activeBuyers(String productId, Consumer<List<OrderRepository.Buyer>> chunks) {
        walk(() -> orders.streamActiveBuyers(productId), chunks);
    }

    /** Request ids of the product whose stock went back (failed, or order cancelled), chunk by chunk. */
    void settled(String productId, Consumer<List<String>> chunks) {
        walk(() -> requests.streamSettledIds(productId), chunks);
    }

    /** Orders cancelled within {@code lookback}, chunk by chunk: Redis must have their stock back. */
    void recentlyCancelled(Duration lookback, Consumer<List<Settled>> chunks) {
        walk(() -> orders.streamRecentlyCancelled(lookback.toSeconds()), chunks);
    }

    /** The rows of a query, {@link #CHUNK} at a time, read inside a transaction (the driver streams only there). */
    private <T> void walk(Supplier<Stream<T>> query, Consumer<List<T>> chunks) {
        transactions.executeRead(status -> {
            try (Stream<T> rows = query.get()) {
                List<T> chunk = new ArrayList<>(CHUNK);
                for (Iterator<T> row = rows.iterator(); row.hasNext(); ) {
                    chunk.add(row.next());
                    if (chunk.size() == CHUNK) {
                        chunks.accept(chunk);
                        chunk = new ArrayList<>(CHUNK);
                    }
                }
                if (!chunk.isEmpty()) {
                    chunks.accept(chunk);
                }
            }
            return null;
        });
    }

    private static TransactionDefinition snapshot() {
        DefaultTransactionDefinition definition = new DefaultTransactionDefinition();
        definition.setIsolationLevel(TransactionDefinition.Isolation.REPEATABLE_READ);
        definition.setReadOnly(true);
        return definition;
    }
}
