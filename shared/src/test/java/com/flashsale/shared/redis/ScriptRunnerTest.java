package com.flashsale.shared.redis;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import io.lettuce.core.RedisCommandExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScriptRunnerTest {

    private final RedisFixture fixture;

    ScriptRunnerTest(RealServers servers) {
        fixture = new RedisFixture(servers);
    }

    @AfterAll
    void close() {
        fixture.close();
    }

    @Test
    void shouldStillSucceed_whenTheScriptCacheIsFlushedBetweenTwoCalls() {
        String productId = fixture.productOnSale(10, 1).productId();
        Admission before = fixture.admit(productId, "u1", 1, fixture.nonceFor(productId), null);

        fixture.redis.scriptFlush();
        Admission after = fixture.admit(productId, "u2", 1, fixture.nonceFor(productId), null);

        assertThat(before.outcome()).isEqualTo(Admission.Outcome.ACCEPTED);
        assertThat(after.outcome()).isEqualTo(Admission.Outcome.ACCEPTED);
        assertThat(fixture.redis.scriptExists(LuaScript.ADMIT_PURCHASE.sha1())).containsExactly(true);
    }

    @Test
    void shouldUseTheShaComputedClientSide() {
        String serverSha = fixture.redis.scriptLoad(LuaScript.RATE_LIMIT.body());

        assertThat(serverSha).isEqualTo(LuaScript.RATE_LIMIT.sha1());
    }

    @Test
    void shouldPassOtherErrorsThrough() {
        String productId = RedisFixture.newProductId();
        fixture.redis.set(RedisKeys.product(productId).meta(), "not a hash");

        assertThatThrownBy(() -> fixture.admit(productId, "u", 1, "n", null))
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(RedisCommandExecutionException.class)
                .hasMessageContaining("WRONGTYPE");
    }
}
