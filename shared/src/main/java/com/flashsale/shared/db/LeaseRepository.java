package com.flashsale.shared.db;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;

/**
 * The {@code lease} table: a lease with a fencing number. Taking it bumps the fence; whoever holds the
 * highest fence is the only one allowed to act, and proves it by locking the row and comparing.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface LeaseRepository extends GenericRepository<Lease, String> {

    /** Takes the lease if it is free (expired) for {@code ttlSeconds}; the new fence, else null (another holds it). */
    @Query("UPDATE lease SET fence = fence + 1, holder = :holder, expires_at = now() + make_interval(secs => :ttlSeconds) "
            + "WHERE name = :name AND expires_at < now() RETURNING fence")
    @Nullable
    Long acquire(String name, String holder, double ttlSeconds);

    /** Expires the lease now, if the fence is still {@code fence}: the next run may start at once. */
    @Query("UPDATE lease SET expires_at = now() WHERE name = :name AND fence = :fence")
    int release(String name, long fence);

    /** The current fence, the row locked until the transaction ends (at once outside one). */
    @Query("SELECT fence FROM lease WHERE name = :name FOR UPDATE")
    Optional<Long> lockFence(String name);
}
