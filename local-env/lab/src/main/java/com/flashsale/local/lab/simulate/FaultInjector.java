package com.flashsale.local.lab.simulate;

import com.flashsale.local.lab.LabRedis;
import com.flashsale.local.runtime.LocalEnvironment;
import com.flashsale.local.runtime.lambda.LocalFunction;
import com.flashsale.local.runtime.trigger.DeliveryHook;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.local.servers.RedisCluster;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Injects one fault into a running local environment, holds it, and heals it. Needs servers this
 * process started (an existing server cannot be stopped from here).
 */
final class FaultInjector implements AutoCloseable {

    /**
     * Every key of the product with its absolute expiry (ms, -1 for none) and DUMP payload, taken
     * atomically, as a replica's copy is one moment of the primary.
     */
    private static final String SNAPSHOT = """
            local now = redis.call('TIME')
            local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
            local out = {}
            for _, key in ipairs(redis.call('KEYS', ARGV[1])) do
                local ttl = redis.call('PTTL', key)
                out[#out + 1] = key
                out[#out + 1] = tostring(ttl < 0 and -1 or now_ms + ttl)
                out[#out + 1] = redis.call('DUMP', key)
            end
            return out
            """;

    /** Replaces every key of the product by the snapshot, atomically (a failover to a lagging replica). */
    private static final String RESTORE = """
            local current = redis.call('KEYS', ARGV[1])
            for i = 1, #current, 1000 do
                redis.call('DEL', unpack(current, i, math.min(i + 999, #current)))
            end
            for i = 2, #ARGV, 3 do
                local expire_at = tonumber(ARGV[i + 1])
                if expire_at < 0 then
                    redis.call('RESTORE', ARGV[i], 0, ARGV[i + 2])
                else
                    redis.call('RESTORE', ARGV[i], expire_at, ARGV[i + 2], 'ABSTTL')
                end
            end
            return (#ARGV - 1) / 3
            """;

    private final LocalEnvironment environment;
    private final LabRedis<byte[], byte[]> connection;
    private final BadInput badInput;
    private final ConsumerRedelivery redelivery = new ConsumerRedelivery();
    private final List<PoisonRecord> poisonRecords = Collections.synchronizedList(new ArrayList<>());
    private final List<Killed> failovers = Collections.synchronizedList(new ArrayList<>());

    /** A master killed under {@link Fault#REDIS_FAILOVER}: when, what followed, when it came back ({@link System#nanoTime()}). */
    record Killed(long atNanos, RedisCluster.Failover failover, long backNanos) {
    }

    /** A record put on the orders topic that is no order event, where it landed, and its bytes. */
    record PoisonRecord(int partition, long offset, byte[] value) {
    }

    FaultInjector(LocalEnvironment environment) {
        if (environment.servers().kafka().isEmpty() || environment.servers().postgres().isEmpty()) {
            throw new IllegalStateException("a soak stops and starts Kafka and PostgreSQL: it needs servers it started "
                    + "itself (unset KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL)");
        }
        this.environment = environment;
        this.connection = LabRedis.connect(environment, ByteArrayCodec.INSTANCE);
        this.badInput = new BadInput(new SaleClient(environment.baseUrl(), 4), environment.database());
    }

    BadInput badInput() {
        return badInput;
    }

    /** Batches the consumer got a second time under {@link Fault#CONSUMER_REDELIVERY}. */
    long redeliveries() {
        return redelivery.redeliveries();
    }

    List<PoisonRecord> poisonRecords() {
        return List.copyOf(poisonRecords);
    }

    List<Killed> failovers() {
        return List.copyOf(failovers);
    }

    /** @return what was done, for the progress log */
    String inject(Fault fault, Duration hold, String productId, Random random) throws InterruptedException, SQLException {
        switch (fault) {
            case KAFKA_RESTART -> {
                var kafka = environment.servers().kafka().orElseThrow();
                return down(kafka::stop, kafka::start, hold);
            }
            case POSTGRES_RESTART -> {
                var postgres = environment.servers().postgres().orElseThrow();
                return down(postgres::stop, postgres::start, hold);
            }
            case SCRIPT_FLUSH -> {
                return flushScripts(hold);
            }
            case REDIS_ROLLBACK -> {
                return rollBack(productId, hold);
            }
            case CONCURRENT_RECONCILIATION -> {
                return reconcileTwiceAtOnce();
            }
            case FUNCTION_CRASH -> {
                List<String> functions = List.copyOf(environment.manifest().functions().keySet());
                String function = functions.get(random.nextInt(functions.size()));
                LocalFunction fresh = environment.hooks().replaceContainer(function);
                return function + " replaced, cold start " + fresh.coldStartMillis() + " ms";
            }
            case CONSUMER_REDELIVERY -> {
                long before = redelivery.redeliveries();
                environment.hooks().deliveryHook(redelivery);
                try {
                    Thread.sleep(hold.toMillis());
                } finally {
                    environment.hooks().deliveryHook(DeliveryHook.NONE);
                }
                return (redelivery.redeliveries() - before) + " batches delivered again in " + seconds(hold);
            }
            case POISON_RECORDS -> {
                return poison(hold);
            }
            case BAD_INPUT -> {
                return badInput.send(productId, hold);
            }
            case REDIS_FAILOVER -> {
                return failOver(productId, hold);
            }
            default -> throw new IllegalArgumentException(fault.name());
        }
    }

    private static String down(Runnable stop, Runnable start, Duration hold) throws InterruptedException {
        stop.run();
        Thread.sleep(hold.toMillis());
        start.run();
        return "down " + seconds(hold);
    }

    /** SIGKILL the master of the product's slot; its replica takes over; after {@code hold} the dead node comes back as a replica. */
    private String failOver(String productId, Duration hold) throws InterruptedException {
        RedisCluster cluster = environment.redisCluster().orElseThrow(() -> new IllegalStateException(
                Fault.REDIS_FAILOVER + " needs the Redis Cluster (--redis-cluster)"));
        long killedAt = System.nanoTime();
        RedisCluster.Failover failover = cluster.killMasterOf(RedisKeys.product(productId).stock());
        Thread.sleep(hold.toMillis());
        failovers.add(new Killed(killedAt, failover, System.nanoTime()));
        cluster.restartKilled();
        return String.format("master :%d killed, replica :%d serving the product's slot after %.1f s; the old master "
                + "back as a replica", failover.killedPort(), failover.newMasterPort(), failover.tookOver().toMillis() / 1000.0);
    }

    private String flushScripts(Duration hold) throws InterruptedException {
        RedisClusterCommands<byte[], byte[]> redis = connection.sync();
        long until = System.nanoTime() + hold.toNanos();
        int flushes = 0;
        while (System.nanoTime() < until) {
            redis.scriptFlush();
            flushes++;
            Thread.sleep(5);
        }
        return flushes + " flushes in " + seconds(hold);
    }

    /** Snapshot now, let the sale go on for {@code hold}, then put the snapshot back. */
    private String rollBack(String productId, Duration hold) throws InterruptedException {
        RedisClusterCommands<byte[], byte[]> redis = connection.sync();
        byte[] pattern = RedisKeys.product(productId).pattern().getBytes(StandardCharsets.UTF_8);
        // the stock key names the product's slot, so that a cluster runs the script on the node holding its keys
        byte[][] slot = {RedisKeys.product(productId).stock().getBytes(StandardCharsets.UTF_8)};
        List<Object> snapshot = redis.eval(SNAPSHOT, ScriptOutputType.MULTI, slot, pattern);
        String stockBefore = stock(productId);
        Thread.sleep(hold.toMillis());
        List<byte[]> arguments = new ArrayList<>(snapshot.size() + 1);
        arguments.add(pattern);
        snapshot.forEach(part -> arguments.add((byte[]) part));
        String stockLost = stock(productId);
        Long restored = redis.eval(RESTORE, ScriptOutputType.INTEGER, slot, arguments.toArray(byte[][]::new));
        return restored + " keys back " + seconds(hold) + ": stock " + stockLost + " -> " + stockBefore;
    }

    /** Two kinds, one every 200 ms: bytes that are no JSON, and JSON that is no order event. */
    private String poison(Duration hold) throws InterruptedException {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.servers().kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        long until = System.nanoTime() + hold.toNanos();
        int sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            while (System.nanoTime() < until) {
                byte[] value = (sent % 2 == 0 ? "\u0000not json {" + sent : "{\"hello\":\"world\",\"n\":" + sent + "}")
                        .getBytes(StandardCharsets.UTF_8);
                try {
                    RecordMetadata landed = producer.send(new ProducerRecord<>(environment.topic(), value)).get();
                    poisonRecords.add(new PoisonRecord(landed.partition(), landed.offset(), value));
                } catch (ExecutionException e) {
                    throw new IllegalStateException("the broker refused a record", e.getCause());
                }
                sent++;
                Thread.sleep(200);
            }
        }
        return sent + " records in " + seconds(hold);
    }

    private String stock(String productId) {
        byte[] stock = connection.sync().get(RedisKeys.product(productId).stock().getBytes(StandardCharsets.UTF_8));
        return stock == null ? "none" : new String(stock, StandardCharsets.UTF_8);
    }

    /** Two scheduled events at the same instant, as EventBridge may deliver them: the lease lets one act. */
    private String reconcileTwiceAtOnce() throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        String event = environment.scheduler().scheduledEvent(Instant.now());
        ExecutorService twoThreads = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(twoThreads.submit(() -> {
                    start.await();
                    return environment.function("reconciliation").invoke(event);
                }));
            }
            start.countDown();
            int acted = 0;
            int failed = 0;
            for (Future<String> run : runs) {
                try {
                    acted += run.get().contains("\"acted\":true") ? 1 : 0;
                } catch (ExecutionException e) {
                    failed++; // the next schedule retries it
                }
            }
            return acted + " acted, " + (2 - acted - failed) + " stood back (lease held), " + failed + " failed";
        } finally {
            twoThreads.shutdown();
        }
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }

    @Override
    public void close() {
        connection.close();
    }
}
