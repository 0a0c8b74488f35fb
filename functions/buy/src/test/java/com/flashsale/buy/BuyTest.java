package com.flashsale.buy;

import com.flashsale.shared.config.OrdersTopicConfiguration;
import com.flashsale.http.FunctionTest;
import com.flashsale.http.LambdaHarness;
import com.flashsale.local.servers.RealServers;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;

/**
 * A test of the buy function on micronaut-test's context (the subclass is a {@code @MicronautTest}),
 * over the real servers with a topic of its own: {@link #fixture} once the context runs.
 */
abstract class BuyTest extends FunctionTest {

    final String topic;
    BuyFixture fixture;

    BuyTest(RealServers realServers) {
        super(realServers);
        topic = realServers.freshTopic("orders", 4);
        realServers.createTopic(OrdersTopicConfiguration.primingTopicOf(topic), 1);
    }

    /** The buy function's settings; a subclass adds its own to these. */
    @Override
    protected Map<String, Object> properties() {
        return BuyFixture.properties(servers, topic);
    }

    /** functions.json's handler for buy. */
    @Override
    protected LambdaHarness newHandler(ApplicationContext context) {
        return new LambdaHarness(context, BuyHandler::new);
    }

    @BeforeAll
    void startFixture() {
        fixture = new BuyFixture(servers, topic, handler());
    }
}
