package com.flashsale.admin;

import com.flashsale.http.Events;
import com.flashsale.http.FunctionTest;
import com.flashsale.http.LambdaHarness.Reply;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;
import com.flashsale.shared.redis.RedisKeys;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A product's {@code humanCheck} and {@code difficulty}: validated, kept in Postgres, written into its Redis card. */
@MicronautTest(transactional = false)
class HumanCheckProductTest extends FunctionTest {

    private final RealServers.Database database;

    HumanCheckProductTest(RealServers realServers) {
        super(realServers);
        database = realServers.freshDatabase("admin_human");
    }

    @Override
    protected Map<String, Object> properties() {
        Map<String, Object> properties = super.properties();
        properties.putAll(TestServers.databaseProperties(database));
        return properties;
    }

    private Reply create(String humanFields) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return handler().invoke(Events.admin().post("/admin/products", "{\"name\":\"Phone X\",\"priceCents\":99900,"
                + "\"stock\":10,\"startsAt\":\"" + now.minusSeconds(60) + "\",\"endsAt\":\"" + now.plusSeconds(600) + "\""
                + humanFields + "}"));
    }

    private Map<String, String> preloadedMeta(String productId) {
        Reply preload = handler().invoke(Events.admin().post("/admin/products/" + productId + "/preload", ""));
        assertThat(preload.status()).isEqualTo(200);
        return servers.redis().hgetall(RedisKeys.product(productId).meta());
    }

    private String column(String productId, String column) {
        return TestServers.queryOne(database, "SELECT " + column + " FROM product WHERE id = ?", productId);
    }

    @Test
    void shouldKeepAltchaAndItsDifficultyInPostgresAndTheRedisCard_whenCreatedAndPreloaded() {
        Reply reply = create(",\"humanCheck\":\"altcha\",\"difficulty\":5000");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.body()).containsEntry("humanCheck", "altcha").containsEntry("difficulty", 5000);
        String productId = reply.string("productId");
        assertThat(column(productId, "human_check")).isEqualTo("altcha");
        assertThat(column(productId, "human_check_difficulty")).isEqualTo("5000");
        assertThat(preloadedMeta(productId)).containsEntry("humanCheck", "altcha").containsEntry("difficulty", "5000");
    }

    @Test
    void shouldDefaultToNone_andAltchaToItsDefaultDifficulty_whenFieldsOmitted() {
        Reply plain = create("");
        Reply altcha = create(",\"humanCheck\":\"altcha\"");
        Reply provider = create(",\"humanCheck\":\"provider\"");

        assertThat(plain.body()).containsEntry("humanCheck", "none").doesNotContainKey("difficulty");
        assertThat(preloadedMeta(plain.string("productId"))).containsEntry("humanCheck", "none");
        assertThat(altcha.body()).containsEntry("difficulty", 100_000);
        assertThat(provider.body()).containsEntry("humanCheck", "provider").doesNotContainKey("difficulty");
        assertThat(preloadedMeta(provider.string("productId"))).containsEntry("humanCheck", "provider");
    }

    @Test
    void shouldAnswerInvalidRequestAndCreateNothing_whenHumanCheckFieldsDoNotFit() {
        String count = TestServers.queryOne(database, "SELECT count(*) FROM product");
        String[] fields = {
                ",\"humanCheck\":\"captcha\"", ",\"humanCheck\":\"ALTCHA\"", ",\"humanCheck\":1",
                ",\"humanCheck\":\"altcha\",\"difficulty\":0", ",\"humanCheck\":\"altcha\",\"difficulty\":10000001",
                ",\"humanCheck\":\"altcha\",\"difficulty\":\"5000\"", ",\"humanCheck\":\"altcha\",\"difficulty\":1.5",
                ",\"difficulty\":5000", ",\"humanCheck\":\"provider\",\"difficulty\":5000",
        };
        for (String field : fields) {
            Reply reply = create(field);

            assertThat(reply.status()).as(field).isEqualTo(400);
            assertThat(reply.error()).as(field).isEqualTo("INVALID_REQUEST");
        }
        assertThat(TestServers.queryOne(database, "SELECT count(*) FROM product")).isEqualTo(count);
    }
}
