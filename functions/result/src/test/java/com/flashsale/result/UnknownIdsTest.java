package com.flashsale.result;

import com.flashsale.http.Events;
import com.flashsale.http.LambdaHarness;
import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RedisKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A crowd asking for unknown product ids: Postgres is asked once per id, then the id is known to be
 * unknown, in the container and (for every other container) in Redis. Counted from outside, as
 * PostgreSQL counts the database's transactions ({@code pg_stat_database.xact_commit}, flushed when
 * the function's connections close).
 */
@ExtendWith(RealServersExtension.class)
class UnknownIdsTest {

    /** Transactions a container makes besides lookups (the pool's connection checks: 4 measured). */
    private static final int CONTAINER_OVERHEAD = 10;

    @Test
    void shouldReadPostgresOncePerUnknownId_whenACrowdViewsUnknownProductPages(RealServers realServers) throws Exception {
        RealServers.Database database = realServers.freshDatabase("result_unknown");
        try (TestServers servers = new TestServers(realServers)) {
            Map<String, Object> properties = migrated(servers, database);
            List<String> unknown = List.of(TestServers.newProductId(), TestServers.newProductId(), TestServers.newProductId());

            long first = transactions(realServers, database, () -> views(properties, unknown, 300, 404));
            long second = transactions(realServers, database, () -> views(properties, unknown, 60, 404));

            System.out.printf("unknown product pages: 300 views of %d ids -> %d transactions; 60 more in a new container -> %d%n",
                    unknown.size(), first, second);
            assertThat(first).as("one lookup per id, in the first container").isLessThanOrEqualTo(unknown.size() + CONTAINER_OVERHEAD);
            assertThat(second).as("none in another container: the ids are marked unknown in Redis")
                    .isLessThanOrEqualTo(CONTAINER_OVERHEAD);
            for (String id : unknown) {
                assertThat(servers.redis().pttl(RedisKeys.unknown("product", id))).isBetween(25_000L, 60_000L);
            }
        }
    }

    @Test
    void shouldReadPostgresOnceForAWhile_whenACrowdViewsAProductNotPreloadedYet(RealServers realServers) throws Exception {
        RealServers.Database database = realServers.freshDatabase("result_early");
        try (TestServers servers = new TestServers(realServers)) {
            Map<String, Object> properties = migrated(servers, database);
            properties.put("flashsale.product-cache-ttl", "1m"); // the whole run within one keep
            String productId = TestServers.newProductId();
            new ResultRows(database).insertProduct(new ProductCard(productId, "kettle", 2_500, 5,
                    Instant.now().plusSeconds(600), Instant.now().plusSeconds(1200), 1), 5);

            long read = transactions(realServers, database, () -> views(properties, List.of(productId), 300, 200));

            System.out.printf("a product not preloaded yet: 300 views -> %d transactions%n", read);
            assertThat(read).as("one read of the row; the clock from Redis").isLessThanOrEqualTo(1 + CONTAINER_OVERHEAD);
        }
    }

    @Test
    void shouldShowAProduct_onceCreatedAfterItsIdWasMarkedUnknown(RealServers realServers) {
        try (ResultFixture fixture = new ResultFixture(realServers, Map.of("flashsale.result.unknown-in-container", "200ms"))) {
            String productId = TestServers.newProductId();
            String page = "/api/products/" + productId;
            assertThat(fixture.result.invoke(Events.anonymous().get(page)).status()).isEqualTo(404);
            fixture.insertProduct(new ProductCard(productId, "lamp", 1_000, 3, Instant.now().plusSeconds(60),
                    Instant.now().plusSeconds(600), 1), 3);
            assertThat(fixture.result.invoke(Events.anonymous().get(page)).status()).as("still marked unknown").isEqualTo(404);

            fixture.servers.redis().del(RedisKeys.unknown("product", productId)); // what the admin's create does

            await().atMost(Duration.ofSeconds(10)).until(() -> fixture.result.invoke(Events.anonymous().get(page)).status() == 200);
        }
    }

    /** The function's settings over {@code database}, migrated by a container of its own: no migration is counted. */
    private static Map<String, Object> migrated(TestServers servers, RealServers.Database database) {
        Map<String, Object> properties = servers.redisProperties();
        properties.putAll(TestServers.databaseProperties(database));
        new LambdaHarness(properties).close();
        properties.put("flyway.datasources.default.enabled", false);
        return properties;
    }

    /** {@code count} anonymous views of the ids from 8 threads, each from an address of its own, all answered {@code status}. */
    private static void views(Map<String, Object> properties, List<String> ids, int count, int status) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (LambdaHarness result = new LambdaHarness(properties)) {
            List<Callable<Reply>> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Events view = Events.anonymous().get("/api/products/" + ids.get(i % ids.size())).from("10.1." + i / 200 + "." + i % 200);
                calls.add(() -> result.invoke(view));
            }
            for (Future<Reply> reply : pool.invokeAll(calls)) {
                assertThat(reply.get().status()).isEqualTo(status);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The database's committed transactions during {@code run}, read once its connections are closed. */
    private static long transactions(RealServers realServers, RealServers.Database database, Views run) throws Exception {
        long before = committed(realServers, database);
        run.run();
        return committed(realServers, database) - before;
    }

    private static long committed(RealServers realServers, RealServers.Database database) {
        String name = database.jdbcUrl().substring(database.jdbcUrl().lastIndexOf('/') + 1);
        // a backend flushes its counts when it exits
        await().atMost(Duration.ofSeconds(30)).until(() -> "0".equals(TestServers.queryOne(realServers.adminDatabase(),
                "SELECT numbackends FROM pg_stat_database WHERE datname = ?", name)));
        return Long.parseLong(TestServers.queryOne(realServers.adminDatabase(),
                "SELECT xact_commit FROM pg_stat_database WHERE datname = ?", name));
    }

    @FunctionalInterface
    private interface Views {
        void run() throws Exception;
    }
}
