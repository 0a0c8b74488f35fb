package com.flashsale.result;

import com.flashsale.http.Events;
import com.flashsale.http.LambdaHarness;
import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.PostgresServer;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RedisServer;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RequestIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Redis or Postgres down: answers from the other where it can, else 503 UNAVAILABLE, never a 500. */
@ExtendWith(RealServersExtension.class)
class ResultDependencyDownTest {

    @Test
    void shouldAnswerFromPostgresOr503_whenItsLiveRedisDies_andRecoverWhenItComesBack(RealServers realServers) {
        RedisServer redis = RedisServer.start(realServers.workDirectory("result-redis-dies"));
        try (ResultFixture fixture = new ResultFixture(realServers)) {
            ProductCard product = fixture.insertProduct(new ProductCard(TestServers.newProductId(), "tv", 5_000, 5,
                    Instant.now().minusSeconds(60), Instant.now().plusSeconds(600), 1), 4);
            String decided = RequestIds.newRequestId(product.productId());
            fixture.insertOrder("o-" + UUID.randomUUID(), decided, product, "alice");
            String unknown = RequestIds.newRequestId(product.productId());
            Map<String, Object> properties = fixture.servers.redisProperties();
            properties.put("redis.uri", redis.uri());
            properties.put("redis.timeout", "1s");
            properties.putAll(TestServers.databaseProperties(fixture.database));
            try (LambdaHarness result = new LambdaHarness(properties)) {
                assertThat(result.invoke(Events.user("alice").get("/api/flash-sale/result/" + unknown)).status())
                        .as("connected: an unknown request is not found").isEqualTo(404);

                redis.stop(); // the connection the function holds dies under it
                Reply known = result.invoke(Events.user("alice").get("/api/flash-sale/result/" + decided));
                Reply pending = result.invoke(Events.user("alice").get("/api/flash-sale/result/" + unknown));
                Reply card = result.invoke(Events.anonymous().get("/api/products/" + product.productId()));
                redis.start();

                assertThat(known.status()).isEqualTo(200);
                assertThat(known.body()).containsEntry("status", "SUCCESS");
                assertThat(pending.status()).isEqualTo(503);
                assertThat(pending.error()).isEqualTo("UNAVAILABLE");
                assertThat(card.status()).isEqualTo(200);
                assertThat(card.body()).containsEntry("name", "tv").containsKey("serverTime");
                // Redis back: the function reconnects by itself, an unknown request is again not found
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        result.invoke(Events.user("alice").get("/api/flash-sale/result/" + unknown)).status() == 404);
            }
        } finally {
            redis.stop();
        }
    }

    @Test
    void shouldAnswer503_whenItsLivePostgresDies_andRecoverWhenItComesBack(RealServers realServers) {
        assumeTrue(realServers.postgres().isPresent(), "stops PostgreSQL: skipped on an existing server");
        PostgresServer postgres = realServers.postgres().get();
        try (ResultFixture fixture = new ResultFixture(realServers)) {
            assertThat(fixture.result.invoke(Events.user("alice").get("/api/orders/o-" + UUID.randomUUID())).status())
                    .as("connected: an unknown order is not found").isEqualTo(404);
            // another id: the first is now known to be unknown, which needs no database
            String order = "/api/orders/o-" + UUID.randomUUID();

            postgres.stop(); // the pooled connection the function holds dies under it
            Reply down;
            try {
                down = fixture.result.invoke(Events.user("alice").get(order));
            } finally {
                postgres.start();
            }

            assertThat(down.status()).isEqualTo(503);
            assertThat(down.error()).isEqualTo("UNAVAILABLE");
            // Postgres back: the pool reconnects by itself, the order is again not found
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    fixture.result.invoke(Events.user("alice").get(order)).status() == 404);
        }
    }
}
