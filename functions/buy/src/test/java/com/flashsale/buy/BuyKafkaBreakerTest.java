package com.flashsale.buy;

import com.flashsale.http.DependencyBreakers;
import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.redis.ProductCard;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka known to be down: once its breaker is open, an accepted buy does not even try to publish (no
 * wait for Kafka's timeout); it still answers 202, its stock stays taken and its event waits in the
 * outbox for the reconciliation's re-drive, like every publish whose outcome is unknown.
 */
@ExtendWith(RealServersExtension.class)
class BuyKafkaBreakerTest {

    private static final int FAILURES = 2;
    private static final int BUYERS = 6;

    @Test
    void shouldAccept_andLeaveTheEventInTheOutbox_withoutTryingKafka_whileItsBreakerIsOpen(RealServers realServers)
            throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort(); // closed again: nothing listens there
        }
        try (BuyFixture fixture = new BuyFixture(realServers, Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:" + deadPort,
                "kafka.producers.orders.max.block.ms", "500",
                "flashsale.publish-timeout", "1s",
                "flashsale.breaker.failures", FAILURES))) {
            ProductCard product = fixture.servers.productOnSale(100, 1);
            CircuitBreaker breaker = fixture.buy.context().getBean(DependencyBreakers.class).kafka();
            AtomicInteger tried = new AtomicInteger();
            AtomicInteger skipped = new AtomicInteger();
            breaker.getEventPublisher().onError(event -> tried.incrementAndGet());
            breaker.getEventPublisher().onCallNotPermitted(event -> skipped.incrementAndGet());

            List<Reply> replies = new ArrayList<>();
            for (int i = 0; i < BUYERS; i++) {
                replies.add(fixture.buy("user-" + i, product.productId(), 1));
            }

            assertThat(replies).extracting(Reply::status).containsOnly(202);
            assertThat(tried.get()).as("publishes that waited for the dead Kafka").isEqualTo(FAILURES);
            assertThat(skipped.get()).as("publishes the open breaker skipped").isEqualTo(BUYERS - FAILURES);
            assertThat(fixture.servers.stock(product.productId())).as("no unit given back").isEqualTo(100 - BUYERS);
            assertThat(fixture.servers.outboxLength(product.productId())).as("every event kept for the re-drive")
                    .isEqualTo(BUYERS);
        }
    }
}
