package com.flashsale.buy;

import com.flashsale.shared.config.OrdersTopicConfiguration;
import com.flashsale.shared.lambda.InitInBackground;
import io.micronaut.configuration.kafka.KafkaProducerFactory;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.type.Argument;
import io.micronaut.crac.OrderedResource;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Producer;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The "orders" Kafka producer (kafka.producers.orders.*, made by micronaut-kafka). It is made, and
 * the orders topic's metadata fetched, on a thread of its own when this bean is made, which in
 * Lambda is first thing at startup (Micronaut's eager singletons, the init phase): the first buy
 * then finds a connected producer instead of paying for both itself. Kafka being down fails that
 * thread quietly, not the cold start.
 *
 * <p>SnapStart: an idempotent producer gets its producer id from the broker; two containers
 * restored from one snapshot would both send under that id and sequence numbers, and the broker
 * would reject or, worse, drop one's records as duplicates of the other's. So the producer is closed
 * before the checkpoint and a new one (with a new producer id) is made after the restore.
 */
@Singleton
@Order(Ordered.HIGHEST_PRECEDENCE)
public class OrdersProducer implements OrderedResource {

    private static final Logger LOG = LoggerFactory.getLogger(OrdersProducer.class);
    private static final String CLIENT_ID = "orders";

    private final KafkaProducerFactory producers;
    private final String topic;
    private volatile Producer<String, String> producer;

    public OrdersProducer(KafkaProducerFactory producers, OrdersTopicConfiguration topic) {
        this.producers = producers;
        this.topic = topic.ordersTopic();
    }

    @PostConstruct
    void connectWhileTheContextStarts() {
        InitInBackground.start("kafka-connect", this::connect);
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
        connect();
    }

    /** A producer with the topic's metadata (bounded by max.block.ms), so that a send goes out at once. */
    private void connect() {
        try {
            get().partitionsFor(topic);
        } catch (RuntimeException e) {
            LOG.warn("Kafka not reachable yet ({}); the first buy connects", e.toString());
        }
    }
}
