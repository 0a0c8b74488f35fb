package com.flashsale.http;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashMap;
import java.util.Map;

/**
 * A test of one HTTP function on the context that micronaut-test starts for the test class (the
 * subclass is annotated {@code @MicronautTest}), set up by {@link #properties()} for the real
 * servers, and the function's Lambda handler over that context ({@link #handler()}). The servers
 * come from {@link RealServersExtension} through the subclass's constructor: JUnit makes the one
 * test instance (per class, as a {@link TestPropertyProvider} needs) before micronaut-test asks it
 * for the properties.
 */
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FunctionTest implements TestPropertyProvider {

    /**
     * Rate limits out of the way of a crowd that this one machine plays: one source address for
     * every user, and many requests per user.
     */
    public static final Map<String, Object> CROWD_RATE_LIMITS = Map.of(
            "flashsale.rate-limit.ip.per-second", 1_000_000,
            "flashsale.rate-limit.ip.burst", 1_000_000,
            "flashsale.rate-limit.user.burst", 1_000);

    protected final RealServers realServers;
    protected final TestServers servers;

    @Inject
    protected ApplicationContext context;

    private LambdaHarness handler;

    protected FunctionTest(RealServers realServers) {
        this.realServers = realServers;
        this.servers = new TestServers(realServers);
    }

    /** The function's settings: Redis and the purchase-token key; a subclass adds its own. */
    protected Map<String, Object> properties() {
        return servers.redisProperties();
    }

    @Override
    public final Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>();
        properties().forEach((key, value) -> properties.put(key, String.valueOf(value)));
        return properties;
    }

    /** The function's Lambda handler over the test's context. */
    protected LambdaHarness handler() {
        if (handler == null) {
            handler = newHandler(context);
        }
        return handler;
    }

    /** The Lambda handler of functions.json over a context: Micronaut's adapter, unless the function has its own. */
    protected LambdaHarness newHandler(ApplicationContext context) {
        return new LambdaHarness(context);
    }

    @AfterAll
    protected void closeServers() {
        if (handler != null) {
            handler.close();
        }
        servers.close();
    }
}
