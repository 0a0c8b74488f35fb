package com.flashsale.orderconsumer;

import com.flashsale.shared.redis.SaleGate;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.List;

/** Test only: the function dies after the batch committed, before Redis heard of it. */
@Singleton
@Replaces(RedisOutcomes.class)
@Requires(property = "test.crash-after-commit", value = "true")
class FailingRedisOutcomes extends RedisOutcomes {

    FailingRedisOutcomes(SaleGate gate) {
        super(gate);
    }

    @Override
    void publish(List<RequestOutcome> outcomes) {
        throw new IllegalStateException("crash injected after the commit");
    }
}
