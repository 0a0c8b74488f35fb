package com.flashsale.buy;

import com.flashsale.http.DependencyBreakers;
import com.flashsale.http.Priming;
import com.flashsale.http.RedisAccess;
import com.flashsale.shared.config.OrdersTopicConfiguration;
import com.flashsale.shared.event.OrderEvent;
import com.flashsale.shared.redis.RedisKeys;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Publishes an accepted request's order event (acks=all, idempotent producer, keyed by product and
 * user) and waits, bounded ({@link PublishConfiguration}), for Kafka's acknowledgement, so that
 * nothing is left unsent when the handler returns and Lambda freezes the container. Once
 * acknowledged, the event's outbox entry is deleted. On failure or timeout the entry stays in the
 * outbox and the reconciliation re-publishes it; the stock is never given back on an unknown outcome.
 * While Kafka is known to be down (its breaker, {@link DependencyBreakers}, is open) the publish is
 * not even tried: the event waits in the outbox the same way, and the buyer does not wait for a
 * timeout.
 */
@Singleton
public class OrderPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(OrderPublisher.class);

    private final OrdersProducer producer;
    private final JsonMapper json;
    private final RedisAccess redis;
    private final String topic;
    private final String primingTopic;
    private final long timeoutMillis;
    private final CircuitBreaker breaker;

    public OrderPublisher(OrdersProducer producer, JsonMapper json, RedisAccess redis,
                          OrdersTopicConfiguration topic, PublishConfiguration publishing, DependencyBreakers breakers) {
        this.producer = producer;
        this.json = json;
        this.redis = redis;
        this.topic = topic.ordersTopic();
        this.primingTopic = topic.primingTopic();
        this.timeoutMillis = publishing.publishTimeout().toMillis();
        this.breaker = breakers.kafka();
    }

    /** Whether the priming topic exists, asked within the producer's max.block.ms (BuyPriming asks first). */
    boolean primingTopicReady() {
        try {
            return !producer.get().partitionsFor(primingTopic).isEmpty();
        } catch (RuntimeException e) {
            LOG.warn("priming topic {} not reachable ({}): no accepted purchase is primed", primingTopic, e.toString());
            return false;
        }
    }

    /** @return true if Kafka acknowledged the event (its outbox entry is then being deleted) */
    public boolean publish(OrderEvent event, String outboxEntryId) {
        if (!breaker.tryAcquirePermission()) {
            LOG.warn("Kafka is down (breaker open): {} waits in the outbox", event.requestId());
            return false;
        }
        long start = System.nanoTime();
        try {
            String value = json.writeValueAsString(event);
            // invoke priming's purchases go where no consumer reads them (BuyPriming)
            String destination = Priming.active() ? primingTopic : topic;
            producer.get().send(new ProducerRecord<>(destination, event.kafkaKey(), value), (metadata, failure) -> {
                if (failure == null) {
                    deleteFromOutbox(event, outboxEntryId);
                }
            }).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            breaker.releasePermission();
            LOG.warn("publish of {} interrupted; it waits in the outbox", event.requestId());
            return false;
        } catch (Exception e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            LOG.warn("publish of {} failed or timed out ({}); it waits in the outbox", event.requestId(), e.toString());
            return false;
        }
        breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return true;
    }

    /**
     * Sent from the producer's acknowledgement callback, before {@code get()} returns, and not
     * awaited: the buyer does not wait for a second round trip, and an entry left behind (Redis
     * slow or down, the container frozen first) is only re-published by the reconciliation, which
     * the consumer dedupes on the request id. A late acknowledgement still cleans up.
     */
    private void deleteFromOutbox(OrderEvent event, String outboxEntryId) {
        try {
            redis.xdel(RedisKeys.ofRequest(event.productId(), event.requestId()).outbox(), outboxEntryId).whenComplete((deleted, failure) -> {
                if (failure != null) {
                    LOG.warn("outbox entry of {} not deleted ({})", event.requestId(), failure.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("outbox entry of {} not deleted ({})", event.requestId(), e.toString());
        }
    }

}
