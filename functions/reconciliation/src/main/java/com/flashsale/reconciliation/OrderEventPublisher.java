package com.flashsale.reconciliation;

import com.flashsale.shared.config.KafkaAuthConfiguration;
import com.flashsale.shared.config.OrdersTopicConfiguration;
import com.flashsale.shared.event.OrderEvent;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Re-publishes order events the way buy publishes them (same key, same JSON): acks=all, idempotent,
 * and a bounded wait for each acknowledgement. Created on first use, so a run with nothing to re-drive
 * never connects to Kafka; flushed before returning (a frozen Lambda container sends nothing).
 */
@Singleton
class OrderEventPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

    private final String bootstrapServers;
    private final String topic;
    private final KafkaAuthConfiguration auth;
    private final JsonMapper json;
    private Producer<String, byte[]> producer;

    OrderEventPublisher(KafkaBootstrap bootstrap, OrdersTopicConfiguration topic, KafkaAuthConfiguration auth,
                        JsonMapper json) {
        this.bootstrapServers = bootstrap.servers();
        this.topic = topic.ordersTopic();
        this.auth = auth;
        this.json = json;
    }

    /** The producer's settings: acks=all, idempotent, bounded waits; MSK IAM over TLS when asked. */
    Map<String, Object> settings() {
        Map<String, Object> settings = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000",
                ProducerConfig.LINGER_MS_CONFIG, "0"));
        settings.putAll(auth.clientSettings());
        return settings;
    }

    /** Publishes every event; returns, per event, whether Kafka acknowledged it. */
    synchronized List<Boolean> publish(List<OrderEvent> events) {
        Producer<String, byte[]> kafka = producer();
        List<Future<?>> sends = new ArrayList<>();
        for (OrderEvent event : events) {
            Future<?> send = kafka.send(new ProducerRecord<>(topic, event.kafkaKey(), bytes(event)));
            sends.add(send);
            if (send.isDone() && failed(send)) {
                break; // no metadata within max.block.ms: the broker is away, don't wait once per event
            }
        }
        kafka.flush();
        List<Boolean> acked = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (i >= sends.size()) {
                acked.add(false);
                continue;
            }
            Future<?> send = sends.get(i);
            try {
                send.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                acked.add(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                acked.add(false);
            } catch (Exception e) {
                acked.add(false);
            }
        }
        return acked;
    }

    private static boolean failed(Future<?> send) {
        try {
            send.get();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (Exception e) {
            return true;
        }
    }

    private byte[] bytes(OrderEvent event) {
        try {
            return json.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Producer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(settings(), new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
