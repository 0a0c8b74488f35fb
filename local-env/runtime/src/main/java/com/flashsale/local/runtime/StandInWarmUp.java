package com.flashsale.local.runtime;

import com.flashsale.local.runtime.gateway.LocalJwt;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Warms the local stand-ins of AWS's managed services before the stack says it is ready: the Kafka
 * broker (MSK's) with the producer and consumer traffic of a sale, and the HTTP gateway (API
 * Gateway's) with its JWT check, event translation and a function's answer. In AWS those services
 * run for months and are warm when a sale opens; here they start with the stack, and their first
 * seconds of interpreted code and JIT compilation would land on the sale's first buyers, on the
 * same cores as the functions (benchmark section 3 measured the broker and the gateway at two to
 * three times their warm CPU per accepted buy in the first 2 s). The functions warm themselves, as
 * in AWS, by their invoke priming before the SnapStart checkpoint; nothing here touches a product,
 * a user or the orders topic: the broker's traffic goes to a topic of its own, and the gateway's
 * requests are buys with a body that is not JSON, refused 400 before anything is read or written.
 * {@code --no-priming} skips it with the functions' priming.
 */
public final class StandInWarmUp {

    /** What the warm-up did: records produced and consumed back, gateway answers that were the 400 expected. */
    public record Result(int records, int consumed, int requests, int refusedAsExpected, Duration took) {

        /** "20,000 of 20,000 records back from the Kafka broker, 5,000 of 5,000 refused 400 through the gateway, in 6.1 s" */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d of %,d records back from the Kafka broker, "
                            + "%,d of %,d refused 400 through the gateway, in %.1f s",
                    consumed, records, refusedAsExpected, requests, took.toMillis() / 1000.0);
        }
    }

    static final int RECORDS = 20_000;
    static final int REQUESTS = 5_000;
    /** As many in flight as the benchmark's load keeps: 64 containers, 64 connections. */
    private static final int IN_FLIGHT = 64;
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String BUY = "/api/flash-sale/buy";

    private StandInWarmUp() {
    }

    /**
     * @param topic a topic of its own, which no function reads
     */
    static Result run(String bootstrapServers, String topic, String gatewayUrl, LocalJwt jwt) throws InterruptedException {
        long started = System.nanoTime();
        int consumed = broker(bootstrapServers, topic);
        int expected = gateway(gatewayUrl, jwt);
        return new Result(RECORDS, consumed, REQUESTS, expected, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Order-event-sized records sent as buy sends them (acks=all, idempotent, each awaited), then read back. */
    private static int broker(String bootstrapServers, String topic) throws InterruptedException {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                inFlight.acquire();
                producer.send(new ProducerRecord<>(topic, "warm-up/" + i, event(i)),
                        (metadata, failure) -> inFlight.release());
            }
            inFlight.acquire(IN_FLIGHT);
        }
        int consumed = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (consumed < RECORDS && System.nanoTime() < deadline) {
                consumed += consumer.poll(Duration.ofMillis(200)).count();
                consumer.commitSync();
            }
        }
        return consumed;
    }

    private static String event(int i) {
        return "{\"schemaVersion\":1,\"requestId\":\"warm-up." + i + "\",\"productId\":\"warm-up\",\"userId\":\"warm-up-"
                + i + "\",\"quantity\":1,\"acceptedAt\":" + System.currentTimeMillis() + "}";
    }

    /** Buys whose body is not JSON, each with a valid JWT: the gateway's whole path, the function's 400. */
    private static int gateway(String gatewayUrl, LocalJwt jwt) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gatewayUrl + BUY))
                .header("Authorization", "Bearer " + jwt.issue("__warm-up", false, Duration.ofMinutes(5)))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"productId\":")).build();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicInteger expected = new AtomicInteger();
        for (int i = 0; i < REQUESTS; i++) {
            inFlight.acquire();
            CompletableFuture<HttpResponse<Void>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            answer.whenComplete((response, failure) -> {
                if (response != null && response.statusCode() == 400) {
                    expected.incrementAndGet();
                }
                inFlight.release();
            });
        }
        if (!inFlight.tryAcquire(IN_FLIGHT, DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the gateway's warm-up did not end within " + DEADLINE);
        }
        return expected.get();
    }
}
