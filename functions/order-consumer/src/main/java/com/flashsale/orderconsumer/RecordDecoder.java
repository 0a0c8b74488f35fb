package com.flashsale.orderconsumer;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.flashsale.shared.event.OrderEvent;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.redis.RequestIds;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the records of an MSK {@link KafkaEvent} into order events. Records are grouped under
 * {@code "<topic>-<partition>"}, but each record's own topic and partition are what count; the key
 * may be absent; key and value are base64. A record that cannot be read becomes poison, never an
 * exception: one bad record must not block its partition.
 */
@Singleton
class RecordDecoder {

    private final JsonMapper json;

    RecordDecoder(JsonMapper json) {
        this.json = json;
    }

    List<ConsumedRecord> decode(KafkaEvent event) {
        List<ConsumedRecord> records = new ArrayList<>();
        Map<String, List<KafkaEvent.KafkaEventRecord>> groups = event == null ? null : event.getRecords();
        if (groups == null) {
            return records;
        }
        groups.values().stream().filter(list -> list != null).flatMap(List::stream).forEach(r -> records.add(decode(r)));
        return records;
    }

    ConsumedRecord decode(KafkaEvent.KafkaEventRecord record) {
        String topic = record.getTopic() == null ? "" : record.getTopic();
        byte[] key = null;
        byte[] value = null;
        try {
            key = record.getKey() == null ? null : Base64.getDecoder().decode(record.getKey());
            value = record.getValue() == null ? null : Base64.getDecoder().decode(record.getValue());
        } catch (IllegalArgumentException e) {
            byte[] raw = record.getValue() == null ? null : record.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return new ConsumedRecord(topic, record.getPartition(), record.getOffset(), key, raw, null,
                    "not base64: " + e.getMessage());
        }
        var base = new ConsumedRecord(topic, record.getPartition(), record.getOffset(), key, value, null, null);
        if (value == null || value.length == 0) {
            return base.poison("empty value");
        }
        OrderEvent event;
        try {
            event = json.readValue(value, OrderEvent.class);
        } catch (Exception e) {
            return base.poison("not an order event: " + e.getMessage());
        }
        if (event == null) {
            return base.poison("not an order event: null");
        }
        return check(new ConsumedRecord(topic, record.getPartition(), record.getOffset(), key, value,
                identifiable(event) ? event : null, null), event);
    }

    /** Enough to find the request's Redis keys and give its stock back. */
    private static boolean identifiable(OrderEvent event) {
        Optional<String> product = RequestIds.productOf(event.requestId());
        return product.isPresent() && product.get().equals(event.productId())
                && event.userId() != null && !event.userId().isBlank()
                && event.quantity() > 0;
    }

    private static ConsumedRecord check(ConsumedRecord record, OrderEvent event) {
        if (event.schemaVersion() != OrderEvent.SCHEMA_VERSION) {
            return record.poison("unknown schema version " + event.schemaVersion());
        }
        if (event.productId() == null || !RedisKeys.PRODUCT_ID.matcher(event.productId()).matches()) {
            return record.poison("bad product id");
        }
        if (!identifiable(event)) {
            return record.poison("bad request id, user or quantity");
        }
        if (event.acceptedAt() == null) {
            return record.poison("no acceptedAt");
        }
        return record;
    }
}
