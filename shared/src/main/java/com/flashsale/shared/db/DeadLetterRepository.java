package com.flashsale.shared.db;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.DataType;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

/** The {@code dead_letter} table: Kafka records the order consumer could not process, kept raw. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface DeadLetterRepository extends GenericRepository<DeadLetter, Long> {

    /**
     * Stores records, element {@code i} of each array being one record, in one statement; a record
     * already stored (same topic, partition and offset: a redelivery) is left as it is.
     */
    @Query("INSERT INTO dead_letter (topic, partition, record_offset, record_key, record_value, error) "
            + "SELECT * FROM unnest(:topics::text[], :partitions::int[], :offsets::bigint[], :keys::bytea[], "
            + ":values::bytea[], :errors::text[]) "
            + "ON CONFLICT (topic, partition, record_offset) DO NOTHING")
    int insertAll(String[] topics, int[] partitions, long[] offsets, @TypeDef(type = DataType.OBJECT) byte[][] keys,
                  @TypeDef(type = DataType.OBJECT) byte[][] values, String[] errors);
}
