package com.flashsale.buy;

import io.micronaut.configuration.kafka.KafkaProducerFactory;
import io.micronaut.core.type.Argument;
import io.micronaut.crac.OrderedResource;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Producer;
import org.crac.Context;
import org.crac.Resource;

import java.time.Duration;

/**
 * The "orders" Kafka producer (kafka.producers.orders.*, made by micronaut-kafka), created on first
 * use.
 *
 * <p>SnapStart: an idempotent producer gets its producer id from the broker; two containers
 * restored from one snapshot would both send under that id and sequence numbers, and the broker
 * would reject or, worse, drop one's records as duplicates of the other's. So the producer is closed
 * before the checkpoint and a new one (with a new producer id) is made after the restore.
 */
@Singleton
public class OrdersProducer implements OrderedResource {

    private static final String CLIENT_ID = "orders";

    private final KafkaProducerFactory producers;
    private volatile Producer<String, String> producer;

    public OrdersProducer(KafkaProducerFactory producers) {
        this.producers = producers;
    }

    public Producer<String, String> get() {
        Producer<String, String> current = producer;
        if (current == null) {
            synchronized (this) {
                current = producer;
                if (current == null) {
                    current = producers.getProducer(CLIENT_ID, Argument.STRING, Argument.STRING);
                    producer = current;
                }
            }
        }
        return current;
    }

    @Override
    public synchronized void beforeCheckpoint(Context<? extends Resource> context) {
        Producer<String, String> current = producer;
        producer = null;
        if (current != null) {
            producers.close(current); // forgets it, so that the next get() makes a new one
            current.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        get();
    }
}
