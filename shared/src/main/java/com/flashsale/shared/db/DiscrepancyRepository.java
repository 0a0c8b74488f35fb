package com.flashsale.shared.db;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

/** The {@code reconciliation_discrepancy} table: what each run found and did, per product. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface DiscrepancyRepository extends GenericRepository<ReconciliationDiscrepancy, Long> {

    ReconciliationDiscrepancy save(ReconciliationDiscrepancy discrepancy);
}
