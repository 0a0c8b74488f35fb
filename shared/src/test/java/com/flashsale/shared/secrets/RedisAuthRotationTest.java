package com.flashsale.shared.secrets;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.local.servers.RedisServer;
import com.flashsale.local.servers.SecretsManagerStandIn;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis AUTH token rotates under load, as ElastiCache's ROTATE then SET do: both tokens valid,
 * the secret moves to the new one, then only the new one is valid and the connections are dropped
 * between two commands (as a failover or a node replacement drops them). The function's connection
 * comes back with the new token and no command fails, those sent while it reconnects included: the token is read from the secret again at a (re)connection once
 * the last read is older than {@code RedisAuthCredentials.MAX_AGE}. Secrets Manager is a local
 * stand-in; the token is checked by a redis-server of the test's own.
 */
@ExtendWith(RealServersExtension.class)
class RedisAuthRotationTest {

    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:flashsale-redis-auth";
    private static final int WORKERS = 4;

    @Test
    void shouldKeepServing_whenTheAuthTokenRotatesUnderLoad(RealServers servers) throws Exception {
        RedisServer redis = RedisServer.start(servers.workDirectory("redis-auth-rotation"));
        RedisClient adminClient = RedisClient.create(RedisURI.create("127.0.0.1", redis.port()));
        ExecutorService load = Executors.newFixedThreadPool(WORKERS);
        try (StatefulRedisConnection<String, String> adminConnection = adminClient.connect();
             SecretsManagerStandIn secretsManager = new SecretsManagerStandIn(ARN, "first-token")) {
            RedisCommands<String, String> admin = adminConnection.sync();
            admin.configSet("requirepass", "first-token");
            try (ApplicationContext context = ApplicationContext.run(Map.of(
                    "redis.uri", "redis://127.0.0.1:" + redis.port(), "redis.timeout", "2s",
                    "flashsale.redis.auth-secret-arn", ARN))) {
                @SuppressWarnings("unchecked")
                RedisCommands<String, String> function = context.getBean(StatefulRedisConnection.class).sync();
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicBoolean paused = new AtomicBoolean(false);
                AtomicInteger inFlight = new AtomicInteger();
                AtomicLong requests = new AtomicLong();
                AtomicLong errors = new AtomicLong();
                AtomicReference<Throwable> firstError = new AtomicReference<>();
                List<Future<?>> workers = new ArrayList<>();
                for (int i = 0; i < WORKERS; i++) {
                    String key = "rotation:" + i;
                    workers.add(load.submit(() -> {
                        while (running.get()) {
                            if (paused.get()) {
                                LockSupport.parkNanos(100_000);
                                continue;
                            }
                            inFlight.incrementAndGet();
                            try {
                                if (paused.get()) {
                                    continue; // paused since the check above: no command now
                                }
                                function.incr(key);
                                requests.incrementAndGet();
                            } catch (RuntimeException e) {
                                errors.incrementAndGet();
                                firstError.compareAndSet(null, e);
                            } finally {
                                inFlight.decrementAndGet();
                            }
                        }
                    }));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> requests.get() >= 500 || errors.get() > 0);
                assertThat(firstError.get()).isNull();

                // Act: ROTATE (both tokens valid), the secret's new version, and once the functions
                // may have read it, SET (the new token only) with every connection dropped
                admin.aclSetuser("default", AclSetuserArgs.Builder.on().addPassword("second-token"));
                secretsManager.set("second-token");
                long atRotation = requests.get();
                long readsAtRotation = secretsManager.reads();
                Thread.sleep(RedisAuthCredentials.MAX_AGE.plusSeconds(1).toMillis()); // the documented wait before SET
                admin.aclSetuser("default", AclSetuserArgs.Builder.on().resetpass().addPassword("second-token"));
                long atSet = requests.get();
                // the connections drop between two commands (a command in flight when its connection
                // drops fails whatever the token; that is not what this test is about)
                paused.set(true);
                await().atMost(Duration.ofSeconds(10)).until(() -> inFlight.get() == 0);
                long dropped = admin.clientKill(KillArgs.Builder.typeNormal());
                paused.set(false);
                await().atMost(Duration.ofSeconds(30))
                        .alias("requests " + atSet + " at SET")
                        .until(() -> errors.get() > 0 || requests.get() >= atSet + 500);
                running.set(false);
                for (Future<?> worker : workers) {
                    worker.get();
                }

                // Assert
                System.out.printf("Redis AUTH rotation under load: %d requests, %d after ROTATE, %d after SET and %d"
                                + " connections dropped, %d errors, %d secret reads after ROTATE%n",
                        requests.get(), requests.get() - atRotation, requests.get() - atSet, dropped, errors.get(),
                        secretsManager.reads() - readsAtRotation);
                assertThat(firstError.get()).isNull();
                assertThat(dropped).isPositive();
                assertThat(secretsManager.reads()).isGreaterThan((int) readsAtRotation);
            }
        } finally {
            load.shutdownNow();
            adminClient.shutdown();
            redis.stop();
        }
    }
}
