package com.flashsale.local.servers;

import io.lettuce.core.RedisClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

@ExtendWith(RealServersExtension.class)
class RealServersTest {

    private final RealServers servers;

    RealServersTest(RealServers servers) {
        this.servers = servers;
    }

    @Test
    void redisAnswers() {
        RedisClient client = RedisClient.create(servers.redisUri());
        try (var connection = client.connect()) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");
            assertThat(connection.sync().info("server")).contains("redis_version");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void freshDatabasesAreSeparate() throws Exception {
        RealServers.Database first = servers.freshDatabase("servers_test");
        RealServers.Database second = servers.freshDatabase("servers_test");
        assertThat(first.jdbcUrl()).isNotEqualTo(second.jdbcUrl());
        try (Connection connection = first.connect()) {
            connection.createStatement().execute("CREATE TABLE only_here (id int)");
        }
        try (Connection connection = second.connect();
             ResultSet tables = connection.getMetaData().getTables(null, null, "only_here", null)) {
            assertThat(tables.next()).isFalse();
        }
    }

    @Test
    void kafkaDeliversWhatWasProduced_andKeepsItAcrossARestart() throws Exception {
        assumeTrue(servers.kafka().isPresent(), "stops and starts Kafka: skipped on an existing broker");
        String topic = servers.freshTopic("servers-test", 2);
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "before restart")).get(30, TimeUnit.SECONDS);
        }

        servers.kafka().orElseThrow().stop();
        servers.kafka().orElseThrow().start();

        List<String> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "servers-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                return !seen.isEmpty();
            });
        }
        assertThat(seen).containsExactly("before restart");
    }

    @Test
    void postgresComesBackAfterAStop() throws Exception {
        assumeTrue(servers.postgres().isPresent(), "stops and starts PostgreSQL: skipped on an existing server");
        RealServers.Database database = servers.freshDatabase("servers_restart");
        PostgresServer postgres = servers.postgres().orElseThrow();

        postgres.stop();
        assertThat(canConnect(database)).isFalse();
        postgres.start();

        assertThat(canConnect(database)).isTrue();
    }

    private static boolean canConnect(RealServers.Database database) {
        try (Connection ignored = database.connect()) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
