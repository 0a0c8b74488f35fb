package com.flashsale.reconciliation;

import com.flashsale.shared.db.LeaseRepository;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The reconciliation lease: a row in Postgres with a fencing number. Taking it bumps the fence; every
 * write that matters runs in a transaction that first locks the row and checks that the fence is
 * still ours, so a run that lost the lease (paused, then overtaken) can no longer act.
 */
@Singleton
class Lease {

    static final String NAME = "reconciliation";

    private final LeaseRepository leases;
    private final TransactionOperations<Connection> transactions;
    private final Duration ttl;

    Lease(LeaseRepository leases, TransactionOperations<Connection> transactions, ReconciliationSettings settings) {
        this.leases = leases;
        this.transactions = transactions;
        this.ttl = settings.leaseTtl();
    }

    /** The new fence if the lease was free (expired), else empty. */
    OptionalLong acquire(String holder) {
        Long fence = leases.acquire(NAME, holder, ttl.toMillis() / 1000.0);
        return fence == null ? OptionalLong.empty() : OptionalLong.of(fence);
    }

    /** Lets the next run start at once: expires the lease, if it is still ours. */
    void release(long fence) {
        leases.release(NAME, fence);
    }

    /** Runs {@code work} in one transaction that holds the lease row and proves the fence is ours. */
    <T> T fenced(long fence, Supplier<T> work) {
        return transactions.executeWrite(status -> {
            check(fence);
            return work.get();
        });
    }

    /** Outside a transaction: fails fast when the fence moved on (before writes to Redis or Kafka). */
    void verify(long fence) {
        check(fence);
    }

    private void check(long fence) {
        long current = leases.lockFence(NAME).orElse(-1L);
        if (current != fence) {
            throw new LeaseLostException(fence, current);
        }
    }
}
