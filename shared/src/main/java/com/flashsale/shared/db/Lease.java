package com.flashsale.shared.db;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of {@code lease}: who holds it, until when, and its fencing number (bumped at every take). */
@MappedEntity("lease")
public record Lease(@Id String name, @Nullable String holder, long fence, Instant expiresAt) {
}
