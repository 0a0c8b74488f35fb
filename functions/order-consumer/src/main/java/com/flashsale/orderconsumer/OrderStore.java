package com.flashsale.orderconsumer;

import com.flashsale.shared.db.DeadLetterRepository;
import com.flashsale.shared.db.OrderRepository;
import com.flashsale.shared.db.ProductRepository;
import com.flashsale.shared.db.PurchaseRequest;
import com.flashsale.shared.db.RequestRepository;
import com.flashsale.shared.event.FailureReason;
import com.flashsale.shared.event.OrderEvent;
import com.flashsale.shared.event.RequestStatus;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Writes a whole batch in ONE transaction of a fixed number of round trips, whatever its size: lock
 * the batch's products, then read the requests already decided and the users' active orders; decide
 * in memory (earliest accepted first); write the stock, the orders and the request outcomes (one
 * multi-row statement each, sent together); commit. Dead letters, rare, add one more.
 *
 * <p>Idempotent on request id: a request already in {@code purchase_request} is not decided again,
 * and order ids are derived from request ids, so a retry of a batch whose commit outcome was unknown
 * writes exactly the same rows.
 */
@Singleton
class OrderStore {

    private final ProductRepository products;
    private final RequestRepository requests;
    private final OrderRepository orders;
    private final DeadLetterRepository deadLetters;
    private final long paymentWindowSeconds;

    OrderStore(ProductRepository products, RequestRepository requests, OrderRepository orders,
               DeadLetterRepository deadLetters, OrderSettings settings) {
        this.products = products;
        this.requests = requests;
        this.orders = orders;
        this.deadLetters = deadLetters;
        this.paymentWindowSeconds = settings.paymentWindow().toSeconds();
    }

    /** The order id of a request: the same on every delivery. */
    static String orderIdOf(String requestId) {
        return "o-" + UUID.nameUUIDFromBytes(("order:" + requestId).getBytes(StandardCharsets.UTF_8));
    }

    /** Decides and writes the batch; committed when it returns, rolled back (and thrown) on any failure. */
    @Transactional
    StoredBatch store(List<ConsumedRecord> records) {
        // one record per request id, earliest accepted first: the same decisions for any delivery order
        Map<String, ConsumedRecord> byRequest = new LinkedHashMap<>();
        List<ConsumedRecord> poison = new ArrayList<>();
        int duplicates = 0;
        List<ConsumedRecord> ordered = new ArrayList<>(records);
        ordered.sort(Comparator.comparing((ConsumedRecord r) -> r.event() == null ? Long.MAX_VALUE : acceptedAt(r))
                .thenComparing(r -> r.event() == null ? "" : r.event().requestId())
                .thenComparing(ConsumedRecord::topic).thenComparingInt(ConsumedRecord::partition)
                .thenComparingLong(ConsumedRecord::offset));
        for (ConsumedRecord record : ordered) {
            if (!record.valid()) {
                poison.add(record);
            }
            if (record.identifiesRequest() && byRequest.putIfAbsent(record.event().requestId(), record) != null
                    && record.valid()) {
                duplicates++;
            }
        }

        Set<String> productIds = new LinkedHashSet<>();
        byRequest.values().forEach(r -> productIds.add(r.event().productId()));
        Known known = read(productIds, byRequest.values());
        Map<String, ProductRow> locked = known.products();
        Set<String> activeBuyers = known.activeBuyers();

        List<RequestOutcome> decided = new ArrayList<>();
        List<RequestOutcome> alreadyProcessed = new ArrayList<>();
        List<OrderRow> placed = new ArrayList<>();
        Map<String, Integer> taken = new LinkedHashMap<>();
        Map<String, Long> acceptedAt = new HashMap<>();
        for (ConsumedRecord record : byRequest.values()) {
            OrderEvent event = record.event();
            RequestOutcome earlier = known.decided().get(event.requestId());
            if (earlier != null) {
                alreadyProcessed.add(earlier);
                continue;
            }
            acceptedAt.put(event.requestId(), acceptedAt(record));
            ProductRow product = locked.get(event.productId());
            if (!record.valid() || product == null) {
                if (record.valid()) {
                    poison.add(record.poison("unknown product " + event.productId()));
                }
                decided.add(failure(event, FailureReason.INVALID_EVENT));
            } else if (activeBuyers.contains(buyer(event))) {
                decided.add(failure(event, FailureReason.ALREADY_PURCHASED));
            } else if (product.stockLeft < event.quantity()) {
                decided.add(failure(event, FailureReason.SOLD_OUT));
            } else {
                activeBuyers.add(buyer(event));
                product.stockLeft -= event.quantity();
                taken.merge(product.id, event.quantity(), Integer::sum);
                String orderId = orderIdOf(event.requestId());
                placed.add(new OrderRow(orderId, event, product.priceCents * event.quantity()));
                decided.add(new RequestOutcome(event.requestId(), event.productId(), event.userId(), event.quantity(),
                        RequestStatus.SUCCESS, orderId, null));
            }
        }

        write(taken, placed, decided, acceptedAt);
        insertDeadLetters(poison);
        return new StoredBatch(decided, alreadyProcessed, duplicates, poison.size());
    }

    private static String buyer(OrderEvent event) {
        return buyer(event.productId(), event.userId());
    }

    private static String buyer(String productId, String userId) {
        return productId + "\u0000" + userId;
    }

    private static long acceptedAt(ConsumedRecord record) {
        return record.event().acceptedAt() == null ? 0 : record.event().acceptedAt().toEpochMilli();
    }

    private static RequestOutcome failure(OrderEvent event, FailureReason reason) {
        return new RequestOutcome(event.requestId(), event.productId(), event.userId(), event.quantity(),
                RequestStatus.FAILED, null, reason.name());
    }

    /**
     * Locks the batch's products (in id order), then reads the requests earlier deliveries decided and
     * the batch's users who already hold an active order: three statements, in this order, so that the
     * reads see what a concurrent invocation committed before the lock was granted.
     */
    private Known read(Set<String> productIds, Collection<ConsumedRecord> records) {
        Known known = new Known(new HashMap<>(), new HashMap<>(), new HashSet<>());
        if (records.isEmpty()) {
            return known;
        }
        for (ProductRepository.Stock stock : products.lockStock(productIds.toArray(String[]::new))) {
            known.products().put(stock.id(), new ProductRow(stock.id(), stock.priceCents(), stock.stockLeft()));
        }
        for (PurchaseRequest request : requests.findDecided(strings(records, r -> r.event().requestId()))) {
            known.decided().put(request.requestId(), new RequestOutcome(request.requestId(), request.productId(),
                    request.userId(), request.quantity(), request.status(), request.orderId(), request.reason()));
        }
        for (OrderRepository.Holder holder : orders.findActiveHolders(strings(records, r -> r.event().productId()),
                strings(records, r -> r.event().userId()))) {
            known.activeBuyers().add(buyer(holder.productId(), holder.userId()));
        }
        return known;
    }

    /**
     * One round trip: the guarded stock update (the final guard: stock_left never goes below zero,
     * whatever Redis believed), the orders and the request outcomes, one multi-row statement each.
     */
    private void write(Map<String, Integer> taken, List<OrderRow> placed, List<RequestOutcome> outcomes,
                       Map<String, Long> acceptedAt) {
        if (outcomes.isEmpty()) {
            return;
        }
        int updated = orders.placeBatch(taken.keySet().toArray(String[]::new),
                taken.values().stream().mapToInt(Integer::intValue).toArray(), paymentWindowSeconds,
                strings(placed, OrderRow::id), strings(placed, o -> o.event().requestId()),
                strings(placed, o -> o.event().productId()), strings(placed, o -> o.event().userId()),
                placed.stream().mapToInt(o -> o.event().quantity()).toArray(),
                placed.stream().mapToLong(OrderRow::priceCents).toArray(),
                strings(outcomes, RequestOutcome::requestId), strings(outcomes, RequestOutcome::productId),
                strings(outcomes, RequestOutcome::userId), outcomes.stream().mapToInt(RequestOutcome::quantity).toArray(),
                strings(outcomes, o -> o.status().name()), strings(outcomes, RequestOutcome::orderId),
                strings(outcomes, RequestOutcome::reason),
                outcomes.stream().mapToLong(o -> acceptedAt.getOrDefault(o.requestId(), 0L)).toArray());
        if (updated != taken.size()) {
            throw new IllegalStateException("stock guard refused " + (taken.size() - updated) + " of " + taken.size()
                    + " products although their rows were locked");
        }
    }

    /** One column of rows as an array parameter (the statements read them back with {@code unnest}). */
    private static <T> String[] strings(Collection<T> rows, Function<T, String> value) {
        return column(rows, value, String[]::new);
    }

    private static <T, V> V[] column(Collection<T> rows, Function<T, V> value, IntFunction<V[]> array) {
        V[] values = array.apply(rows.size());
        int i = 0;
        for (T row : rows) {
            values[i++] = value.apply(row);
        }
        return values;
    }

    /** Stores one poison record in the dead-letter table, in a transaction of its own. */
    @Transactional
    void deadLetter(ConsumedRecord record) {
        insertDeadLetters(List.of(record));
    }

    private void insertDeadLetters(List<ConsumedRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        deadLetters.insertAll(strings(records, ConsumedRecord::topic),
                records.stream().mapToInt(ConsumedRecord::partition).toArray(),
                records.stream().mapToLong(ConsumedRecord::offset).toArray(),
                column(records, ConsumedRecord::key, byte[][]::new), column(records, ConsumedRecord::value, byte[][]::new),
                strings(records, ConsumedRecord::error));
    }

    private static final class ProductRow {
        final String id;
        final long priceCents;
        int stockLeft;

        ProductRow(String id, long priceCents, int stockLeft) {
            this.id = id;
            this.priceCents = priceCents;
            this.stockLeft = stockLeft;
        }
    }

    private record OrderRow(String id, OrderEvent event, long priceCents) {
    }

    /** What Postgres knew before this batch: its products (locked), earlier decisions, active buyers. */
    private record Known(Map<String, ProductRow> products, Map<String, RequestOutcome> decided, Set<String> activeBuyers) {
    }
}
