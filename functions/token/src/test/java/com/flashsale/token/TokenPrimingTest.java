package com.flashsale.token;

import com.flashsale.http.Events;
import com.flashsale.http.PrimingTrace;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.redis.ProductCard;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.flashsale.http.PrimingTrace.ROUNDS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invoke priming (issue 18) in the token function: the checkpoint hook runs the hot paths through the
 * handler and writes nothing to Redis (no bucket of a real user, no key of a real product).
 */
@MicronautTest
class TokenPrimingTest extends TokenFunctionTest {

    TokenPrimingTest(RealServers realServers) {
        super(realServers);
    }

    @Override
    protected Map<String, Object> properties() {
        Map<String, Object> properties = super.properties();
        properties.putAll(PrimingTrace.SETTINGS);
        return properties;
    }

    @Test
    void shouldRunTheHotPathsAndWriteNothing_whenTheCheckpointHookRuns() {
        ProductCard product = servers.productOnSale(10, 1);
        assertThat(token(product).status()).as("alice's buckets exist").isEqualTo(200);
        Map<String, String> productBefore = servers.productState(product.productId());
        TokenPriming priming = context.getBean(TokenPriming.class);
        assertThat(priming.lastStatuses()).as("not primed before the checkpoint").isEmpty();

        PrimingTrace trace = PrimingTrace.ofCheckpoint(context, servers, null);

        assertThat(priming.lastStatuses()).as("token issued, sold out, bad input, unknown product, each round")
                .isEqualTo(Map.of(200, ROUNDS, 409, ROUNDS, 400, ROUNDS, 404, ROUNDS));
        assertThat(trace.redisWrites()).as("the rate-limit script, on throwaway buckets").containsKey("hset");
        assertThat(trace.keysLeft()).as("keys priming wrote and left").isEmpty();
        assertThat(trace.keysAfter()).as("keys (an expiry may only lower it)").isLessThanOrEqualTo(trace.keysBefore());
        assertThat(servers.productState(product.productId())).isEqualTo(productBefore);
        assertThat(token(product).status()).as("served after the restore").isEqualTo(200);
    }

    private com.flashsale.http.LambdaHarness.Reply token(ProductCard product) {
        return handler().invoke(Events.user("alice").post(TokenPriming.TOKEN, "{\"productId\":\"" + product.productId() + "\"}"));
    }
}
