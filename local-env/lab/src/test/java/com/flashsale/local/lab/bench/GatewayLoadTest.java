package com.flashsale.local.lab.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class GatewayLoadTest {

    @Test
    void shouldWriteOneTabSeparatedLinePerShopper_whenPreparingWrkInput() {
        List<Shoppers.Buy> buys = List.of(new Shoppers.Buy("u0", "10.0.0.0", "{\"productId\":\"p\",\"token\":\"t0\"}"),
                new Shoppers.Buy("u1", "10.0.0.1", "{\"productId\":\"p\",\"token\":\"t1\"}"));

        String lines = GatewayLoad.lines(List.of("jwt0", "jwt1"), buys);

        assertThat(lines).isEqualTo("jwt0\t10.0.0.0\t{\"productId\":\"p\",\"token\":\"t0\"}\n"
                + "jwt1\t10.0.0.1\t{\"productId\":\"p\",\"token\":\"t1\"}\n");
    }

    @Test
    void shouldReadRatesAndPercentiles_whenWrkPrintsItsSummary() {
        GatewayLoad.Result result = GatewayLoad.result("BENCH requests=20000 duration_us=2000000 p50_us=1500 p99_us=9000 "
                + "p999_us=14000 tokens=0 accepted=1 refused=19990 other=9 socket_errors=2 timeouts=1");

        assertThat(result.perSecond()).isEqualTo(10_000.0);
        assertThat(result.p50()).isEqualTo(1.5);
        assertThat(result.p99()).isEqualTo(9.0);
        assertThat(result.p999()).isEqualTo(14.0);
        assertThat(result.errors(true)).isEqualTo(1 + 9 + 3);
        assertThat(result.errors(false)).isEqualTo(9 + 3);
    }

    @Test
    void shouldCountIssuedTokensAsErrors_inASoldOutPhase() {
        GatewayLoad.Result tokensForSoldOut = GatewayLoad.result("BENCH requests=1000 duration_us=1000000 p50_us=1000 "
                + "p99_us=2000 p999_us=3000 tokens=4 accepted=0 refused=996 other=0 socket_errors=0 timeouts=0");

        assertThat(tokensForSoldOut.errors(true)).isEqualTo(4);
        assertThat(tokensForSoldOut.errors(false)).isZero();
    }

    @Test
    void shouldPrintTheSummaryLineThatResultParses_whenWrkFinishes() throws IOException {
        try (InputStream lua = GatewayLoad.class.getResourceAsStream(GatewayLoad.COMMON_SCRIPT)) {
            String script = new String(lua.readAllBytes(), StandardCharsets.UTF_8);

            assertThat(script).contains("\"BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d p999_us=%d tokens=%d "
                    + "accepted=%d refused=%d other=%d socket_errors=%d timeouts=%d\\n\"");
        }
    }

    @Test
    void shouldBuyWithEachTokenAsTheUserItWasIssuedTo_whenWrkRunsTheWholePath(@TempDir Path work) throws Exception {
        assumeTrue(GatewayLoad.wrkInstalled(), "wrk is not installed: the whole-path script is not run");
        List<String> accessTokens = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            accessTokens.add("access-" + i);
        }
        try (StubApi api = new StubApi()) {
            GatewayLoad.Result result = new GatewayLoad(api.baseUrl(), work)
                    .runWholePath("whole-path", accessTokens, "web", "p1", 2, 16, 1);

            assertThat(result.tokens()).isPositive();
            assertThat(result.accepted()).isPositive().isLessThanOrEqualTo(result.tokens());
            assertThat(result.other()).isZero();
            assertThat(api.mismatches).hasValue(0);
            assertThat(api.buys.get()).isGreaterThanOrEqualTo(result.accepted()); // wrk stops before the last answers
        }
    }

    @Test
    void shouldCountTheBuysOfPreparedShoppers_whenWrkRunsTheBuyScript(@TempDir Path work) throws Exception {
        assumeTrue(GatewayLoad.wrkInstalled(), "wrk is not installed: the buy script is not run");
        List<String> accessTokens = new ArrayList<>();
        List<Shoppers.Buy> buys = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            accessTokens.add("access-" + i);
            // every other shopper holds another user's token: the stub refuses those buys
            buys.add(new Shoppers.Buy("web" + i, Shoppers.sourceIp(i),
                    "{\"productId\":\"p1\",\"token\":\"" + StubApi.token("web" + (i % 2 == 0 ? i : i + 1)) + "\"}"));
        }
        try (StubApi api = new StubApi()) {
            GatewayLoad.Result result = new GatewayLoad(api.baseUrl(), work).run("buys", accessTokens, buys, 2, 8, 1);

            assertThat(result.accepted()).isPositive();
            assertThat(result.other()).as("the refused (403) buys").isPositive();
            assertThat(result.tokens()).isZero();
            assertThat(api.buys.get()).isGreaterThanOrEqualTo(result.accepted());
            assertThat(api.mismatches.get()).isGreaterThanOrEqualTo((int) result.other());
        }
    }

    @Test
    void shouldGiveEveryUserItsOwnAddress_whenUsersAreMany() {
        assertThat(Shoppers.sourceIp(0)).isEqualTo("10.0.0.0");
        assertThat(Shoppers.sourceIp(70_000)).isEqualTo("10.1.17.112");
    }
}

/**
 * The token and buy routes as the whole-path script sees them: a token is a JWT whose subject is the
 * caller (read from the access token "access-<i>", user "web<i>"); a buy answers 202 only when the
 * caller is the token's subject, and counts every other buy as a mismatch.
 */
final class StubApi implements AutoCloseable {

    final AtomicInteger mismatches = new AtomicInteger();
    final AtomicLong buys = new AtomicLong();
    private final HttpServer server;

    StubApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.createContext("/api/flash-sale/token", exchange -> {
            String user = "web" + exchange.getRequestHeaders().getFirst("Authorization").substring("Bearer access-".length());
            reply(exchange, 200, "{\"token\":\"" + token(user) + "\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}");
        });
        server.createContext("/api/flash-sale/buy", exchange -> {
            String user = "web" + exchange.getRequestHeaders().getFirst("Authorization").substring("Bearer access-".length());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String payload = body.replaceFirst("(?s).*\"token\":\"[^.]+\\.([^.]+)\\..*", "$1");
            String claims = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
            if (claims.contains("\"sub\":\"" + user + "\"")) {
                buys.incrementAndGet();
                reply(exchange, 202, "{\"requestId\":\"r\",\"status\":\"PENDING\"}");
            } else {
                mismatches.incrementAndGet();
                reply(exchange, 403, "{\"error\":\"INVALID_TOKEN\"}");
            }
        });
        server.start();
    }

    /** A JWT-shaped token whose subject is the user (subjects of every length: 0, 1 or 2 padding characters). */
    static String token(String user) {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"pid\":\"p1\",\"sub\":\"" + user + "\",\"jti\":\"n\"}").getBytes(StandardCharsets.UTF_8));
        return "eyJhbGciOiJIUzI1NiJ9." + payload + ".c2ln";
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
