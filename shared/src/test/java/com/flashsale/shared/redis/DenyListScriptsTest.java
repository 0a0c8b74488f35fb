package com.flashsale.shared.redis;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** update_deny_list.lua and read_deny_list.lua. */
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DenyListScriptsTest {

    private final RedisFixture fixture;

    DenyListScriptsTest(RealServers servers) {
        fixture = new RedisFixture(servers);
    }

    @AfterAll
    void close() {
        fixture.close();
    }

    @Test
    void shouldSendTheMembersOnlyWhenTheVersionMoved_andNeverExpireTheList() {
        String bot = "bot-" + UUID.randomUUID();
        long listed = fixture.gate.setDenied(bot, true).toCompletableFuture().join();

        List<String> first = fixture.gate.readDenyList(null).toCompletableFuture().join();
        List<String> unchanged = fixture.gate.readDenyList(Long.toString(listed)).toCompletableFuture().join();
        long unlisted = fixture.gate.setDenied(bot, false).toCompletableFuture().join();
        List<String> after = fixture.gate.readDenyList(Long.toString(listed)).toCompletableFuture().join();

        assertThat(first.get(0)).isEqualTo(Long.toString(listed));
        assertThat(first.subList(1, first.size())).contains(bot);
        assertThat(unchanged).containsExactly(Long.toString(listed));
        assertThat(unlisted).isEqualTo(listed + 1);
        assertThat(after.get(0)).isEqualTo(Long.toString(unlisted));
        assertThat(after.subList(1, after.size())).doesNotContain(bot);
        assertThat(fixture.redis.ttl(RedisKeys.denyListVersion())).isEqualTo(-1);
    }
}
