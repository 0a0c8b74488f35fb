package com.flashsale.orderconsumer;

import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.event.OrderEvent;
import com.flashsale.shared.priming.PrimingConfiguration;
import com.flashsale.shared.redis.RedisConnection;
import com.flashsale.shared.redis.RedisKeys;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The consumer's invoke priming runs its whole path and leaves no row and no Redis key behind. */
class OrderConsumerPrimingTest extends OnTheConsumerContext {

    private static final int ROUNDS = 5;

    OrderConsumerPrimingTest(RealServers servers) {
        super(servers);
    }

    @Test
    void shouldDecideEveryKindOfRecord_andLeaveNothingBehind() {
        String productId = fixture.productOnSale(5, 5);
        OrderEvent real = fixture.admit(productId, "real-buyer", 1);
        fixture.consume(fixture.records("flashsale.orders", 0, 0, List.of(real)));
        List<String> before = fixture.databaseState();

        BatchSummary primed = priming(ROUNDS * OrderConsumerPriming.API_ROUNDS_PER_ROUND).prime();

        // per round, one batch twice: 16 buyers (one sold out), a buyer's second request, a duplicate, a poison record
        assertThat(primed.records()).isEqualTo(ROUNDS * 2 * (OrderConsumerPriming.ORDERS + 3));
        assertThat(primed.orders()).isEqualTo(ROUNDS * (OrderConsumerPriming.ORDERS - 1));
        assertThat(primed.failed()).isEqualTo(ROUNDS * 2);
        assertThat(primed.alreadyProcessed()).isEqualTo(ROUNDS * (OrderConsumerPriming.ORDERS + 1));
        assertThat(primed.duplicates()).isEqualTo(ROUNDS * 2);
        assertThat(primed.deadLetters()).isPositive();
        assertThat(fixture.databaseState()).isEqualTo(before);
        assertThat(fixture.redis.keys(RedisKeys.product(OrderConsumerPriming.PRODUCT).pattern())).isEmpty();
    }

    @Test
    void shouldDoNothing_whenItsRoundsAreZero() {
        List<String> before = fixture.databaseState();

        assertThat(priming(0).prime()).isEqualTo(new BatchSummary(0, 0, 0, 0, 0, 0));
        assertThat(fixture.databaseState()).isEqualTo(before);
    }

    @SuppressWarnings("unchecked")
    private OrderConsumerPriming priming(int rounds) {
        return new OrderConsumerPriming(context.getBean(OrderConsumer.class), context.getBean(TransactionOperations.class),
                context.getBean(RedisConnection.class), context.getBean(JsonMapper.class), new PrimingConfiguration(rounds, 0));
    }
}
