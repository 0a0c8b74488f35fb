package com.flashsale.shared.redis;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** preload_product.lua, probe_product.lua and pause_sale.lua. */
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductLoadingScriptsTest {

    private final RedisFixture fixture;

    ProductLoadingScriptsTest(RealServers servers) {
        fixture = new RedisFixture(servers);
    }

    @AfterAll
    void close() {
        fixture.close();
    }

    private Preload preload(ProductCard product, int available) {
        return fixture.gate.preload(product, available, product.endsAt().plus(Duration.ofDays(1))).toCompletableFuture().join();
    }

    @Test
    void shouldLoadOnce_andNeverOverwriteALoadedProduct() {
        ProductCard product = fixture.productOnSale(100, 1);
        fixture.admit(product.productId(), "u1", 1, fixture.nonceFor(product.productId()), null);
        RedisKeys keys = RedisKeys.product(product.productId());

        Preload same = preload(product, 100);
        Preload otherStock = preload(new ProductCard(product.productId(), product.name(), product.priceCents(), 50,
                product.startsAt(), product.endsAt(), 1), 50);

        assertThat(same).isEqualTo(new Preload(Preload.Outcome.UNCHANGED, 99));
        assertThat(otherStock).isEqualTo(new Preload(Preload.Outcome.CONFLICT, 100));
        assertThat(fixture.stock(product.productId())).isEqualTo(99);
        assertThat(fixture.redis.hget(keys.meta(), "name")).isEqualTo("phone");
        assertThat(fixture.redis.pttl(keys.meta())).isPositive();
        assertThat(fixture.redis.pttl(keys.stock())).isPositive();
    }

    @Test
    void shouldKeepASurvivingStock_whenOnlyTheMetaWasLost() {
        ProductCard product = fixture.productOnSale(10, 1);
        fixture.admit(product.productId(), "u1", 1, fixture.nonceFor(product.productId()), null);
        fixture.redis.del(RedisKeys.product(product.productId()).meta());

        Preload rebuilt = preload(product, 10);

        assertThat(rebuilt).isEqualTo(new Preload(Preload.Outcome.LOADED, 9));
    }

    @Test
    void shouldProbeMetaStockAndTime_andNothingForAProductNotLoaded() {
        ProductCard product = fixture.productOnSale(7, 2);
        long before = System.currentTimeMillis();

        ProductProbe loaded = fixture.gate.probe(product.productId()).toCompletableFuture().join();
        ProductProbe unknown = fixture.gate.probe(RedisFixture.newProductId()).toCompletableFuture().join();

        assertThat(loaded.stock()).isEqualTo(7);
        assertThat(loaded.meta()).containsEntry("name", "phone").containsEntry("limitPerUser", "2")
                .containsEntry("startsAt", Long.toString(product.startsAt().toEpochMilli())).containsEntry("paused", "0");
        assertThat(loaded.serverTimeMs()).isBetween(before - 5_000, before + 5_000);
        assertThat(unknown.meta()).isEmpty();
        assertThat(unknown.stock()).isNull();
    }

    @Test
    void shouldPauseOnlyALoadedProduct_andLoadThePausedFlag() {
        ProductCard product = fixture.productOnSale(3, 1);
        ProductCard pausedBeforeLoad = new ProductCard(RedisFixture.newProductId(), "tv", 100, 1,
                product.startsAt(), product.endsAt(), 1);

        boolean pausedLoaded = fixture.gate.setPaused(product.productId(), true).toCompletableFuture().join();
        boolean pausedMissing = fixture.gate.setPaused(pausedBeforeLoad.productId(), true).toCompletableFuture().join();
        fixture.gate.preload(pausedBeforeLoad, 1, product.endsAt().plus(Duration.ofDays(1)), true)
                .toCompletableFuture().join();

        assertThat(pausedLoaded).isTrue();
        assertThat(pausedMissing).isFalse();
        assertThat(fixture.redis.hget(RedisKeys.product(product.productId()).meta(), "paused")).isEqualTo("1");
        assertThat(fixture.redis.hget(RedisKeys.product(pausedBeforeLoad.productId()).meta(), "paused")).isEqualTo("1");
    }
}
