package com.flashsale.shared.redis;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.redis.Admission.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A product's stock split over several slots of the Redis Cluster (3 masters, 3 replicas): the
 * admission path buy uses ({@link SaleGate#admit}, home shard and transfers), driven concurrently.
 */
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StockShardsOnClusterTest {

    /** Admissions in flight at once over the one cluster connection (what many buy containers do). */
    private static final int IN_FLIGHT = 256;

    private final RedisFixture fixture;

    StockShardsOnClusterTest(RealServers servers) {
        fixture = new RedisFixture(servers.redisCluster());
    }

    @AfterAll
    void close() {
        fixture.close();
    }

    @Test
    void shouldSellExactlyTheStock_whenTwiceAsManyUsersAsUnitsBuyOver16Shards() {
        int units = 100_000;
        int users = 200_000;
        ProductCard product = fixture.productOnSale(units, 2, 16);
        Random random = new Random(17);
        int[] quantities = new int[users];
        for (int i = 0; i < users; i++) {
            quantities[i] = 1 + random.nextInt(2);
        }

        long startedAt = System.nanoTime();
        Sale sale = crowd(product, users, i -> "u" + i, i -> quantities[i]);
        // a tenth of the buyers try again, with a new token: their limit is already used
        Sale again = crowd(product, users / 10, i -> "u" + i, i -> 1);
        double seconds = (System.nanoTime() - startedAt) / 1e9;

        assertThat(sale.unitsAccepted()).as("units sold").isEqualTo(units);
        assertThat(unitsLeft(product)).as("units left in every shard and transfer").isZero();
        assertThat(sale.outcomes()).containsOnlyKeys(Outcome.ACCEPTED, Outcome.SOLD_OUT);
        assertThat(again.outcomes().keySet()).isSubsetOf(Outcome.ALREADY_PURCHASED, Outcome.SOLD_OUT);
        assertThat(again.outcomes().getOrDefault(Outcome.ALREADY_PURCHASED, new AtomicLong()).get())
                .as("every earlier buyer among them is refused").isEqualTo(sale.acceptedUsers().keySet().stream()
                        .filter(user -> Integer.parseInt(user.substring(1)) < users / 10).count());
        assertThat(buyersInRedis(product)).as("one buyer entry per accepted request, in its home shard")
                .isEqualTo(sale.acceptedUsers());
        long transfers = 0;
        for (int k = 0; k < product.shards(); k++) {
            transfers += fixture.redis.scard(RedisKeys.shard(product.productId(), k).transfersIn());
        }
        System.out.printf("sharded sale: %d units over %d shards, %d users (+%d retries): %d accepted, %d transfers, "
                        + "%.1f s, %.0f admissions/s%n", units, product.shards(), users, users / 10,
                sale.acceptedUsers().size(), transfers, seconds, (users + users / 10) / seconds);
    }

    @Test
    void shouldRefuseNobody_whenDemandIsBelowTheStockAndCrowdsOneHomeShard() {
        int units = 5_000;
        ProductCard product = fixture.productOnSale(units, 1, 16);
        // most users live in shard 0, which holds a 16th of the stock: their units come from the others
        List<String> users = new ArrayList<>();
        for (int i = 0; users.size() < 3_000; i++) {
            if (StockShards.homeShard("h" + i, 16) == 0) {
                users.add("h" + i);
            }
        }
        for (int i = 0; i < 1_750; i++) {
            users.add("r" + i);
        }

        long startedAt = System.nanoTime();
        Sale sale = crowd(product, users.size(), users::get, i -> 1);
        System.out.printf("skewed sale: %d users for %d units over 16 shards, %d homed in shard 0: %.1f s, %s%n",
                users.size(), units, 3_000, (System.nanoTime() - startedAt) / 1e9, sale.outcomes());

        assertThat(sale.outcomes()).as("every user gets a unit").containsOnlyKeys(Outcome.ACCEPTED);
        assertThat(sale.unitsAccepted()).isEqualTo(users.size());
        assertThat(unitsLeft(product)).isEqualTo(units - users.size());
    }

    @Test
    void shouldLoseNoUnit_whenATransferStopsBetweenDonorAndRecipient() {
        ProductCard product = fixture.productOnSale(100, 1, 4);
        String productId = product.productId();
        StockShards shards = fixture.gate.shards();

        // the donor side ran, then the buyer's container died before the recipient side
        long taken = shards.transferOut(productId, 2, 0, 1, "crashed-1").toCompletableFuture().join();

        assertThat(taken).as("half of the donor's 25").isEqualTo(13);
        assertThat(stockInShards(product)).as("stock keys alone miss the units in flight").isEqualTo(100 - taken);
        assertThat(unitsLeft(product)).as("units in flight are counted").isEqualTo(100);
        assertThat(shards.finishTransfers(productId, 4).toCompletableFuture().join()).as("finished now").isEqualTo(1);
        assertThat(fixture.redis.hlen(RedisKeys.shard(productId, 2).transfersOut())).as("no longer in flight").isZero();
        assertThat(shards.finishTransfers(productId, 4).toCompletableFuture().join()).as("finished once").isZero();
        assertThat(shards.transferIn(productId, 0, "crashed-1", taken).toCompletableFuture().join())
                .as("the buyer's late recipient side adds nothing").isZero();
        assertThat(fixture.redis.get(RedisKeys.shard(productId, 0).stock())).isEqualTo(Long.toString(25 + taken));
        assertThat(stockInShards(product)).isEqualTo(100);
        assertThat(unitsLeft(product)).isEqualTo(100);
    }

    @Test
    void shouldProbeTheUnitsOfEveryShard_soThatTheCardSaysSoldOutOnlyWhenAllAreEmpty() {
        ProductCard product = fixture.productOnSale(8, 1, 4);
        String productId = product.productId();
        fixture.redis.set(RedisKeys.product(productId).stock(), "0", io.lettuce.core.SetArgs.Builder.keepttl()); // shard 0 sold out

        ProductProbe whileOthersHaveUnits = fixture.gate.probe(productId).toCompletableFuture().join();
        for (int k = 0; k < 4; k++) {
            fixture.redis.set(RedisKeys.shard(productId, k).stock(), "0", io.lettuce.core.SetArgs.Builder.keepttl());
        }
        ProductProbe whenAllAreEmpty = fixture.gate.probe(productId).toCompletableFuture().join();

        assertThat(whileOthersHaveUnits.shards()).isEqualTo(4);
        assertThat(whileOthersHaveUnits.stock()).as("shards 1 to 3 still hold their units").isEqualTo(6L);
        assertThat(whenAllAreEmpty.stock()).isZero();
    }

    @Test
    void shouldKeepTodaysKeys_whenTheProductHasOneShard() {
        ProductCard product = fixture.productOnSale(10, 1, 1);
        String nonce = fixture.nonceFor(product.productId());

        Admission admission = fixture.admit(product.productId(), "alice", 1, nonce, null);

        assertThat(admission.requestId()).matches(product.productId() + "\\.[0-9a-f]{32}");
        assertThat(fixture.redis.get("fs:{p:" + product.productId() + "}:stock")).isEqualTo("9");
        assertThat(fixture.redis.hget("fs:{p:" + product.productId() + "}:buyers", "alice"))
                .isEqualTo(admission.requestId());
    }

    /** What a crowd got: the outcomes, and the accepted request of each buyer with its quantity. */
    private record Sale(Map<Outcome, AtomicLong> outcomes, Map<String, String> acceptedUsers, long unitsAccepted) {
    }

    /** Every user buys at once with a token of their own, {@link #IN_FLIGHT} admissions at a time. */
    private Sale crowd(ProductCard product, int users, IntFunction<String> userId, IntFunction<Integer> quantity) {
        String productId = product.productId();
        Semaphore window = new Semaphore(IN_FLIGHT);

        Map<Outcome, AtomicLong> outcomes = new ConcurrentHashMap<>();
        Map<String, String> accepted = new ConcurrentHashMap<>();
        AtomicLong unitsAccepted = new AtomicLong();
        List<CompletableFuture<?>> admissions = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            String user = userId.apply(i);
            int wanted = quantity.apply(i);
            window.acquireUninterruptibly();
            admissions.add(fixture.gate.admit(RedisFixture.attempt(productId, user, wanted, UUID.randomUUID().toString(), null))
                    .toCompletableFuture().whenComplete((admission, e) -> {
                        window.release();
                        if (admission != null) {
                            outcomes.computeIfAbsent(admission.outcome(), o -> new AtomicLong()).incrementAndGet();
                            if (admission.accepted()) {
                                assertThat(accepted.put(user, admission.requestId())).as("one accepted request per user").isNull();
                                unitsAccepted.addAndGet(wanted);
                            }
                        }
                    }));
        }
        CompletableFuture.allOf(admissions.toArray(CompletableFuture[]::new)).join();
        return new Sale(outcomes, accepted, unitsAccepted.get());
    }

    private long unitsLeft(ProductCard product) {
        return fixture.gate.shards().unitsLeft(product.productId(), product.shards()).toCompletableFuture().join();
    }

    private long stockInShards(ProductCard product) {
        long sum = 0;
        for (int k = 0; k < product.shards(); k++) {
            sum += Long.parseLong(fixture.redis.get(RedisKeys.shard(product.productId(), k).stock()));
        }
        return sum;
    }

    private Map<String, String> buyersInRedis(ProductCard product) {
        Map<String, String> buyers = new HashMap<>();
        for (int k = 0; k < product.shards(); k++) {
            RedisKeys shard = RedisKeys.shard(product.productId(), k);
            fixture.redis.hgetall(shard.buyers()).forEach((user, requestId) -> {
                assertThat(RequestIds.shardOf(requestId)).as("request of " + user + " in its shard").isEqualTo(shard.shardIndex());
                assertThat(StockShards.homeShard(user, product.shards())).isEqualTo(shard.shardIndex());
                assertThat(buyers.put(user, requestId)).as(user + " is a buyer in one shard only").isNull();
            });
        }
        return buyers;
    }
}
