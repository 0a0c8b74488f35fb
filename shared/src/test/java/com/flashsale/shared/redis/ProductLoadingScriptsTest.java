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

/** preload_product.lua and issue_token_nonce.lua. */
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
    void shouldIssueANonceWithTheTokenLifetime_onlyWhileTheProductCanBeBought() {
        Instant now = Instant.now();
        String onSale = fixture.productOnSale(1, 1).productId();
        String upcoming = fixture.load(new ProductCard(RedisFixture.newProductId(), "tv", 100, 1,
                now.plusSeconds(600), now.plusSeconds(900), 1)).productId();
        String over = fixture.load(new ProductCard(RedisFixture.newProductId(), "tv", 100, 1,
                now.minusSeconds(900), now.minusSeconds(600), 1)).productId();

        NonceIssue issued = fixture.gate.issueNonce(onSale, "n1", Duration.ofSeconds(60)).toCompletableFuture().join();
        fixture.admit(onSale, "u1", 1, "n1", null);
        NonceIssue soldOut = fixture.gate.issueNonce(onSale, "n2", Duration.ofSeconds(60)).toCompletableFuture().join();
        NonceIssue early = fixture.gate.issueNonce(upcoming, "n3", Duration.ofSeconds(60)).toCompletableFuture().join();
        NonceIssue late = fixture.gate.issueNonce(over, "n4", Duration.ofSeconds(60)).toCompletableFuture().join();
        NonceIssue unknown = fixture.gate.issueNonce(RedisFixture.newProductId(), "n5", Duration.ofSeconds(60))
                .toCompletableFuture().join();

        assertThat(issued.outcome()).isEqualTo(NonceIssue.Outcome.ISSUED);
        assertThat(issued.expiresAtMs() - issued.serverTimeMs()).isEqualTo(60_000);
        assertThat(soldOut.outcome()).isEqualTo(NonceIssue.Outcome.SOLD_OUT);
        assertThat(early.outcome()).isEqualTo(NonceIssue.Outcome.SALE_NOT_STARTED);
        assertThat(early.startsAtMs()).isEqualTo(now.plusSeconds(600).toEpochMilli());
        assertThat(late.outcome()).isEqualTo(NonceIssue.Outcome.SALE_ENDED);
        assertThat(unknown.outcome()).isEqualTo(NonceIssue.Outcome.NOT_FOUND);
        assertThat(fixture.redis.exists(RedisKeys.product(upcoming).nonce("n3"))).isZero();
    }
}
