package com.flashsale.reconciliation;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.shared.redis.RedisKeys;
import io.lettuce.core.XAddArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox is read in pages (XRANGE ... COUNT), never in one reply however long it grew. */
@ExtendWith(RealServersExtension.class)
class OutboxPagingTest {

    private static final Pattern XRANGE_CALLS = Pattern.compile("cmdstat_xrange:calls=(\\d+)");

    @Test
    void shouldRedriveEveryEntry_pageByPage_whenTheOutboxHoldsManyPages(RealServers servers) {
        String topic = servers.freshTopic("orders-paging", 1);
        try (ReconciliationFixture fixture = new ReconciliationFixture(servers, Map.of(
                "flashsale.orders-topic", topic, "flashsale.reconciliation.redrive-after", "0s",
                "flashsale.reconciliation.outbox-page", "25"))) {
            String productId = fixture.productOnSale(1000);
            String outbox = RedisKeys.product(productId).outbox();
            // 220 entries in one millisecond: the pages must step through sequence numbers too
            long acceptedAt = System.currentTimeMillis() - 60_000;
            for (int i = 0; i < 220; i++) {
                String requestId = productId + ".r" + i;
                fixture.redis.xadd(outbox, new XAddArgs().id(acceptedAt + "-" + i), Map.of("requestId", requestId,
                        "userId", "u" + i, "productId", productId, "quantity", "1", "acceptedAt", Long.toString(acceptedAt)));
            }
            long callsBefore = xrangeCalls(fixture);

            RunSummary run = fixture.run();

            assertThat(run.count(Actions.REDRIVEN)).isEqualTo(220);
            assertThat(fixture.redis.xlen(outbox)).isZero();
            // the re-drive alone needs 9 pages of 25 for 220 entries; one XRANGE per pass would be 3 or 4 calls
            assertThat(xrangeCalls(fixture) - callsBefore).isGreaterThanOrEqualTo(9);
        }
    }

    @Test
    void shouldStepToTheNextStreamId_withinAndAcrossMilliseconds() {
        assertThat(RedisData.nextId("1700000000000-0")).isEqualTo("1700000000000-1");
        assertThat(RedisData.nextId("5-41")).isEqualTo("5-42");
        assertThat(RedisData.nextId("5-18446744073709551615")).isEqualTo("6-0");
    }

    private static long xrangeCalls(ReconciliationFixture fixture) {
        Matcher calls = XRANGE_CALLS.matcher(fixture.redis.info("commandstats"));
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }
}
