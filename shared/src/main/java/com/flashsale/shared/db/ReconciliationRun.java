package com.flashsale.shared.db;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of {@code reconciliation_run}: one run under one fence; {@code summary} is JSON, read as text. */
@MappedEntity("reconciliation_run")
public record ReconciliationRun(@Id @GeneratedValue @Nullable Long id, long fence, String holder,
                                @Nullable Instant startedAt, @Nullable Instant finishedAt,
                                @Nullable String summary) {
}
