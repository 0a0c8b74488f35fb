package com.flashsale.local.lab.simulate;

/**
 * The faults a soak injects: docs/reliability.md rows 3 to 10, 13 and 15, and a container crash.
 * {@link #REDIS_FAILOVER} needs the Redis Cluster ({@code --redis-cluster}).
 */
public enum Fault {
    KAFKA_RESTART("Kafka broker stopped, restarted"),
    POSTGRES_RESTART("PostgreSQL stopped, restarted"),
    SCRIPT_FLUSH("Redis SCRIPT FLUSH, over and over"),
    REDIS_ROLLBACK("the product's Redis keys restored from an older snapshot"),
    CONCURRENT_RECONCILIATION("two reconciliation runs at the same instant"),
    FUNCTION_CRASH("a function's container crashed and replaced by a cold one"),
    CONSUMER_REDELIVERY("the order consumer crashed after its commit: each batch again, shuffled and duplicated"),
    POISON_RECORDS("records on the orders topic that are no order event"),
    BAD_INPUT("malformed, forged and foreign requests through the gateway"),
    REDIS_FAILOVER("the Redis Cluster master holding the product's slot SIGKILLed; its replica takes over");

    private final String description;

    Fault(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Whether the fault can strike Redis as the run has it: a failover needs the cluster. */
    public boolean possibleOn(boolean redisCluster) {
        return this != REDIS_FAILOVER || redisCluster;
    }
}
