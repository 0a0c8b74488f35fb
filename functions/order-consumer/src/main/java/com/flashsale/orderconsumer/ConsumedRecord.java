package com.flashsale.orderconsumer;

import com.flashsale.shared.event.OrderEvent;

/**
 * One Kafka record of a batch, decoded as far as it could be.
 *
 * @param event the order event, or null when the record could not be read at all
 * @param error why the record is poison, or null when it is a valid order event
 */
record ConsumedRecord(String topic, int partition, long offset, byte[] key, byte[] value, OrderEvent event,
                      String error) {

    boolean valid() {
        return error == null;
    }

    /** A poison record that still names its request well enough to fail it and give its stock back. */
    boolean identifiesRequest() {
        return event != null;
    }

    /** The same record, poison for {@code reason} (control characters, NUL among them, made visible). */
    ConsumedRecord poison(String reason) {
        return new ConsumedRecord(topic, partition, offset, key, value, event, printable(reason));
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    @Override
    public String toString() {
        return topic + "/" + partition + "@" + offset + (error == null ? "" : " (" + error + ")");
    }
}
