package com.flashsale.shared.db;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A row of {@code dead_letter}: a Kafka record the order consumer could not process, kept raw. */
@MappedEntity("dead_letter")
public record DeadLetter(@Id @GeneratedValue @Nullable Long id, String topic, int partition, long recordOffset,
                         @Nullable byte[] recordKey, @Nullable byte[] recordValue, String error) {
}
