package com.flashsale.shared.db;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A row of {@code reconciliation_discrepancy}: one difference a run found, its size, likely cause and
 * what was done ({@code recorded_at} is left to its default).
 */
@MappedEntity("reconciliation_discrepancy")
public record ReconciliationDiscrepancy(@Id @GeneratedValue @Nullable Long id, long runId, String productId,
                                        String kind, @Nullable Long expected, @Nullable Long actual,
                                        @Nullable Long delta, @Nullable String cause, String action) {
}
