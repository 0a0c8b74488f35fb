package com.flashsale.orderconsumer;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.event.OrderEvent;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaEventDecodingTest extends OnTheConsumerContext {

    KafkaEventDecodingTest(RealServers servers) {
        super(servers);
    }

    private KafkaEvent awsSample() throws Exception {
        try (InputStream in = KafkaEventDecodingTest.class.getResourceAsStream("/events/aws_kafka_event.json")) {
            return fixture.json.readValue(in.readAllBytes(), KafkaEvent.class);
        }
    }

    @Test
    void shouldReadTheAwsSample_recordTopicPartitionOffsetValueAndByteArrayHeaders() throws Exception {
        KafkaEvent event = awsSample();

        List<ConsumedRecord> records = fixture.context.getBean(RecordDecoder.class).decode(event);

        assertThat(event.getRecords()).containsOnlyKeys("mytopic-01");
        KafkaEvent.KafkaEventRecord raw = event.getRecords().get("mytopic-01").get(0);
        assertThat(raw.getKey()).isNull();
        assertThat(new String(raw.getHeaders().get(0).get("headerKey"), StandardCharsets.UTF_8)).isEqualTo("headerValue");
        assertThat(records).hasSize(1);
        ConsumedRecord record = records.get(0);
        // the map key says partition 01; the record's own fields are what count
        assertThat(record.topic()).isEqualTo("mytopic");
        assertThat(record.partition()).isZero();
        assertThat(record.offset()).isEqualTo(15);
        assertThat(record.key()).isNull();
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("Hello from Kafka !!");
        assertThat(record.valid()).isFalse();
    }

    @Test
    void shouldDeadLetterTheAwsSample_whenItsValueIsNoOrderEvent() throws Exception {
        BatchSummary summary = fixture.handler.handleRequest(awsSample(), null);

        assertThat(summary).isEqualTo(new BatchSummary(1, 0, 0, 0, 0, 1));
        assertThat(fixture.query("SELECT topic, partition, record_offset, record_key IS NULL, "
                + "convert_from(record_value, 'UTF8') FROM dead_letter WHERE topic = 'mytopic'"))
                .containsExactly("mytopic|0|15|true|Hello from Kafka !!");
        // delivered again: still one row
        fixture.handler.handleRequest(awsSample(), null);
        assertThat(fixture.number("SELECT count(*) FROM dead_letter WHERE topic = 'mytopic'")).isEqualTo(1);
    }

    @Test
    void shouldCreateAnOrder_fromAnAwsShapedRecordWithKeyAndHeaders() {
        String productId = fixture.productOnSale(5, 5);
        OrderEvent event = fixture.admit(productId, "alice", 2);

        BatchSummary summary = fixture.consume(fixture.records("flashsale.orders", 3, 40, List.of(event)));

        assertThat(summary).isEqualTo(new BatchSummary(1, 1, 0, 0, 0, 0));
        String orderId = OrderStore.orderIdOf(event.requestId());
        assertThat(fixture.query("SELECT id, user_id, quantity, price_cents, status FROM purchase_order WHERE request_id = ?",
                event.requestId())).containsExactly(orderId + "|alice|2|199800|PENDING_PAYMENT");
        assertThat(fixture.number("SELECT stock_left FROM product WHERE id = ?", productId)).isEqualTo(3);
        assertThat(fixture.number("SELECT extract(epoch FROM pay_by - created_at)::bigint FROM purchase_order "
                + "WHERE request_id = ?", event.requestId())).isEqualTo(15 * 60);
        assertThat(fixture.requestState(event.requestId()))
                .containsEntry("status", "SUCCESS").containsEntry("orderId", orderId);
    }

    @Test
    void shouldAcceptAnEventWithFieldsAddedLater_butFailAnUnknownSchemaVersionAndGiveItsStockBack() {
        String productId = fixture.productOnSale(5, 5);
        OrderEvent newer = fixture.admit(productId, "oscar", 1);
        OrderEvent future = fixture.admit(productId, "peggy", 1);
        String newerJson = new String(fixture.bytes(newer), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"channel\":\"app\",");
        String futureJson = new String(fixture.bytes(future), StandardCharsets.UTF_8)
                .replace("\"schemaVersion\":1", "\"schemaVersion\":2");
        List<ConsumerFixture.Record> batch = List.of(
                new ConsumerFixture.Record("flashsale.orders", 0, 1, null, newerJson.getBytes(StandardCharsets.UTF_8)),
                new ConsumerFixture.Record("flashsale.orders", 0, 2, null, futureJson.getBytes(StandardCharsets.UTF_8)));

        BatchSummary summary = fixture.consume(batch);

        assertThat(summary).isEqualTo(new BatchSummary(2, 1, 1, 0, 0, 1));
        assertThat(fixture.requestState(newer.requestId())).containsEntry("status", "SUCCESS");
        assertThat(fixture.requestState(future.requestId()))
                .containsEntry("status", "FAILED").containsEntry("reason", "INVALID_EVENT");
        assertThat(fixture.query("SELECT record_offset, error FROM dead_letter WHERE topic = 'flashsale.orders'"))
                .containsExactly("2|unknown schema version 2");
        assertThat(fixture.redisStock(productId)).isEqualTo(4);
    }

    @Test
    void shouldReadAcceptedAtAsEpochMillisOrAnOlderEventsIsoString_andDeadLetterAnyOtherValue() {
        String productId = fixture.productOnSale(5, 5);
        OrderEvent current = fixture.admit(productId, "quinn", 1);
        OrderEvent older = fixture.admit(productId, "rosa", 1);
        OrderEvent broken = fixture.admit(productId, "sam", 1);
        String currentJson = new String(fixture.bytes(current), StandardCharsets.UTF_8);
        String millis = "\"acceptedAt\":" + current.acceptedAt().toEpochMilli();
        assertThat(currentJson).as("the wire form of acceptedAt").contains(millis);
        String olderJson = new String(fixture.bytes(older), StandardCharsets.UTF_8)
                .replace("\"acceptedAt\":" + older.acceptedAt().toEpochMilli(), "\"acceptedAt\":\"" + older.acceptedAt() + "\"");
        String brokenJson = new String(fixture.bytes(broken), StandardCharsets.UTF_8)
                .replace("\"acceptedAt\":" + broken.acceptedAt().toEpochMilli(), "\"acceptedAt\":\"yesterday\"");
        List<ConsumerFixture.Record> batch = List.of(
                new ConsumerFixture.Record("flashsale.orders", 1, 1, null, currentJson.getBytes(StandardCharsets.UTF_8)),
                new ConsumerFixture.Record("flashsale.orders", 1, 2, null, olderJson.getBytes(StandardCharsets.UTF_8)),
                new ConsumerFixture.Record("flashsale.orders", 1, 3, null, brokenJson.getBytes(StandardCharsets.UTF_8)));

        BatchSummary summary = fixture.consume(batch);

        assertThat(summary).isEqualTo(new BatchSummary(3, 2, 0, 0, 0, 1));
        for (OrderEvent event : List.of(current, older)) {
            assertThat(fixture.number("SELECT (extract(epoch FROM accepted_at) * 1000)::bigint FROM purchase_request "
                    + "WHERE request_id = ?", event.requestId())).isEqualTo(event.acceptedAt().toEpochMilli());
        }
        assertThat(fixture.query("SELECT record_offset FROM dead_letter WHERE topic = 'flashsale.orders' AND partition = 1"))
                .containsExactly("3");
    }

    @Test
    void shouldNotPileUpContextBeans_whenEveryInvocationBringsANewContext() {
        KafkaEvent empty = new KafkaEvent(java.util.Map.of(), "aws:kafka", "arn", "b-1:9092");

        for (int i = 0; i < 2_000; i++) {
            fixture.handler.handleRequest(empty, new InvocationContext("request-" + i));
        }

        assertThat(fixture.context.getBeanDefinitions(com.amazonaws.services.lambda.runtime.Context.class)).isEmpty();
    }
}
