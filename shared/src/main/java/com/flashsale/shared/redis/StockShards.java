package com.flashsale.shared.redis;

import com.flashsale.shared.crac.RestoreSafeRandom;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A product's stock split over K Redis slots (shards), and the routing of admission over them.
 *
 * <p>Each user has a home shard ({@link #homeShard}) where the admission script decides everything
 * of that user (limit, idempotency, token, request state, outbox entry), in one call on one slot.
 * When the home shard has too few units, units move to it from a donor shard by a transfer recorded
 * on both sides: {@code transfer_out.lua} on the donor (units out of its stock, recorded in flight),
 * {@code transfer_in.lua} on the recipient (units in, once per transfer id), {@code transfer_done.lua}
 * on the donor (no longer in flight); {@link #finishTransfers} finishes one a crash interrupted. Then
 * the admission runs again. A unit is always in a stock or in flight, so the shards read at once
 * tell whether any is left: SOLD_OUT only when none is, anywhere.
 */
public final class StockShards {

    /** Most transfers one admission tries before it gives up (other buyers of its home shard kept winning). */
    private static final int ROUNDS = 100;
    /**
     * How long a product found empty in every shard answers SOLD_OUT from its home shard alone,
     * without reading the other shards (the container's sold-out flag in buy does the same before
     * admission; a unit given back meanwhile is found after it).
     */
    private static final long DRAINED_NANOS = 1_000_000_000L;

    private final ScriptRunner scripts;
    /** A product's number of shards never changes once created: read once per container. */
    private final Map<String, Integer> shardCounts = new ConcurrentHashMap<>();
    /** Products whose every shard was found empty, until when (System.nanoTime). */
    private final Map<String, Long> drainedUntil = new ConcurrentHashMap<>();

    public StockShards(ScriptRunner scripts) {
        this.scripts = scripts;
    }

    /** The user's home shard among {@code shards}: a stable hash (String.hashCode is specified). */
    public static int homeShard(String userId, int shards) {
        return Math.floorMod(userId.hashCode(), shards);
    }

    /** The share of {@code units} shard {@code shard} gets when they are split evenly over {@code shards}. */
    public static int share(int units, int shards, int shard) {
        return units / shards + (shard < units % shards ? 1 : 0);
    }

    /** The product's number of stock shards, from shard 0's meta (1 when the product is not in Redis). */
    public CompletionStage<Integer> shardCount(String productId) {
        Integer known = shardCounts.get(productId);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return read(productId, 0).thenApply(shard -> {
            if (shard.shards() > 0) {
                shardCounts.put(productId, shard.shards());
            }
            return Math.max(1, shard.shards());
        });
    }

    /** The keys of the user's home shard of the product: where the user's admission decides. */
    public CompletionStage<RedisKeys> home(String productId, String userId) {
        return shardCount(productId).thenApply(shards -> RedisKeys.shard(productId, homeShard(userId, shards)));
    }

    /**
     * Admission in the attempt's home shard (its request id is placed there), with transfers from
     * donors while the home shard has too few units.
     *
     * @param admitOnShard one admission script call for an attempt whose request id names its shard
     */
    CompletionStage<Admission> admit(PurchaseAttempt attempt, Function<PurchaseAttempt, CompletionStage<Admission>> admitOnShard) {
        return shardCount(attempt.productId()).thenCompose(shards -> {
            int home = homeShard(attempt.userId(), shards);
            PurchaseAttempt homed = attempt.withRequestId(RequestIds.onShard(attempt.requestId(), home));
            return admitOnShard.apply(homed).thenCompose(admission -> soldOutAtHome(admission) && shards > 1
                    && !drained(attempt.productId())
                    ? refill(homed, home, shards, 0, admitOnShard) : CompletableFuture.completedFuture(admission));
        });
    }

    private static boolean soldOutAtHome(Admission admission) {
        return admission.outcome() == Admission.Outcome.SOLD_OUT;
    }

    /**
     * Reads every shard at once; takes units from the donor holding the most, then admits again. With
     * no units in any other shard and none in flight, the home shard's answer is final.
     */
    private CompletionStage<Admission> refill(PurchaseAttempt attempt, int home, int shards, int round,
                                              Function<PurchaseAttempt, CompletionStage<Admission>> admitOnShard) {
        return readAll(attempt.productId(), shards).thenCompose(read -> {
            Shard donor = read.stream().filter(s -> s.index() != home && s.stock() > 0)
                    .max(Comparator.comparingLong(Shard::stock)).orElse(null);
            boolean inFlight = read.stream().anyMatch(s -> !s.inFlight().isEmpty());
            if (donor == null || round == ROUNDS) {
                return admitOnShard.apply(attempt).thenCompose(admission -> {
                    if (!soldOutAtHome(admission) || (donor == null && !inFlight) || round == ROUNDS) {
                        if (soldOutAtHome(admission) && donor == null && !inFlight && admission.stockLeft() == 0) {
                            drainedUntil.put(attempt.productId(), System.nanoTime() + DRAINED_NANOS);
                        }
                        return CompletableFuture.completedFuture(admission);
                    }
                    // units in flight land in their recipient's shard: look again
                    return refill(attempt, home, shards, round + 1, admitOnShard);
                });
            }
            return transfer(attempt.productId(), donor.index(), home, attempt.quantity())
                    .thenCompose(units -> units == 0 ? refill(attempt, home, shards, round + 1, admitOnShard)
                            : admitOnShard.apply(attempt).thenCompose(admission -> soldOutAtHome(admission)
                                    ? refill(attempt, home, shards, round + 1, admitOnShard)
                                    : CompletableFuture.completedFuture(admission)));
        });
    }

    private boolean drained(String productId) {
        Long until = drainedUntil.get(productId);
        return until != null && System.nanoTime() - until < 0;
    }

    /**
     * Moves units from one shard to another: the donor side, the recipient side, then the donor's
     * record closed.
     *
     * @return the units moved (0 when the donor had none)
     */
    public CompletionStage<Long> transfer(String productId, int donor, int recipient, int needed) {
        String transferId = RestoreSafeRandom.shared().hex(8);
        return transferOut(productId, donor, recipient, needed, transferId).thenCompose(units -> units == 0
                ? CompletableFuture.completedFuture(0L)
                : finish(productId, donor, new Transfer(transferId, recipient, units)).thenApply(added -> units));
    }

    /** The donor side of a transfer alone ({@code transfer_out.lua}); its units are in flight until received. */
    public CompletionStage<Long> transferOut(String productId, int donor, int recipient, int needed, String transferId) {
        RedisKeys keys = RedisKeys.shard(productId, donor);
        return scripts.run(LuaScript.TRANSFER_OUT, new String[] {keys.stock(), keys.transfersOut(), keys.meta()},
                        transferId, Integer.toString(recipient), Integer.toString(needed))
                .thenApply(reply -> new ScriptReply(reply).number(0));
    }

    /**
     * The recipient side of a transfer ({@code transfer_in.lua}), exactly once.
     *
     * @return 1 if this call added the units, 0 if an earlier call did, -1 if the recipient's keys are gone
     */
    public CompletionStage<Long> transferIn(String productId, int recipient, String transferId, long units) {
        RedisKeys keys = RedisKeys.shard(productId, recipient);
        return scripts.run(LuaScript.TRANSFER_IN, new String[] {keys.stock(), keys.transfersIn(), keys.meta()},
                        transferId, Long.toString(units))
                .thenApply(reply -> new ScriptReply(reply).number(0));
    }

    /** Recipient side, then the donor's record closed once the recipient has the units; what transfer_in answered. */
    private CompletionStage<Long> finish(String productId, int donor, Transfer transfer) {
        return transferIn(productId, transfer.recipient(), transfer.id(), transfer.units()).thenCompose(added -> added < 0
                ? CompletableFuture.completedFuture(added)
                : scripts.run(LuaScript.TRANSFER_DONE, new String[] {RedisKeys.shard(productId, donor).transfersOut()},
                        transfer.id()).thenApply(reply -> added));
    }

    /**
     * Finishes every transfer still in flight (a crash may have interrupted one before its recipient
     * side; finishing one that its buyer is finishing too changes nothing).
     *
     * @return how many this call gave their units to the recipient
     */
    public CompletionStage<Long> finishTransfers(String productId, int shards) {
        return readAll(productId, shards).thenCompose(read -> {
            List<CompletableFuture<Long>> calls = new ArrayList<>();
            for (Shard shard : read) {
                shard.inFlight().forEach(t -> calls.add(finish(productId, shard.index(), t).toCompletableFuture()));
            }
            return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                    .thenApply(done -> calls.stream().filter(c -> c.join() == 1).count());
        });
    }

    /**
     * The product's units in Redis: the stock of every shard plus the units of transfers in flight
     * (nobody's yet, and not lost).
     *
     * @return the sum, or -1 when a shard's stock key is gone
     */
    public CompletionStage<Long> unitsLeft(String productId, int shards) {
        return readAll(productId, shards).thenApply(read -> read.stream().anyMatch(s -> s.stock() < 0) ? -1L
                : read.stream().mapToLong(s -> s.stock() + s.inFlight().stream().mapToLong(Transfer::units).sum()).sum());
    }

    /** Every shard of the product, read at once (one call per shard, pipelined). */
    public CompletionStage<List<Shard>> readAll(String productId, int shards) {
        List<CompletableFuture<Shard>> calls = new ArrayList<>();
        for (int k = 0; k < shards; k++) {
            calls.add(read(productId, k).toCompletableFuture());
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .thenApply(done -> calls.stream().map(CompletableFuture::join).toList());
    }

    private CompletionStage<Shard> read(String productId, int shard) {
        RedisKeys keys = RedisKeys.shard(productId, shard);
        return scripts.run(LuaScript.READ_SHARD, new String[] {keys.stock(), keys.meta(), keys.transfersOut()})
                .thenApply(reply -> {
                    var r = new ScriptReply(reply);
                    List<Transfer> inFlight = new ArrayList<>();
                    List<?> pairs = (List<?>) reply.get(2);
                    for (int i = 0; i + 1 < pairs.size(); i += 2) {
                        String[] value = pairs.get(i + 1).toString().split("\\|");
                        inFlight.add(new Transfer(pairs.get(i).toString(), Integer.parseInt(value[0]),
                                Long.parseLong(value[1])));
                    }
                    return new Shard(shard, r.number(0), (int) r.number(1), inFlight);
                });
    }

    /**
     * One shard as read.
     *
     * @param stock    its available stock, -1 when the key is gone
     * @param shards   the product's number of shards per its meta, 0 when the meta is gone
     * @param inFlight the transfers that took units out of it and are not closed yet
     */
    public record Shard(int index, long stock, int shards, List<Transfer> inFlight) {
    }

    /** A transfer's donor-side record. */
    public record Transfer(String id, int recipient, long units) {
    }
}
