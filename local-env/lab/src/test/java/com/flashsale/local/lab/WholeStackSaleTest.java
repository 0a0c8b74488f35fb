package com.flashsale.local.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flashsale.local.runtime.LocalEnvironment;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import com.flashsale.local.lab.simulate.Audit;
import com.flashsale.local.lab.simulate.Figures;
import com.flashsale.local.lab.simulate.HtmlReport;
import com.flashsale.local.lab.simulate.PauseWatch;
import com.flashsale.local.lab.simulate.PlantedDefect;
import com.flashsale.local.lab.simulate.Simulation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole system on the real servers, every function loaded from the jar Maven built for
 * Lambda: a client's walk through the API, then a small simulated sale that must audit green, and
 * sales with a defect planted that must turn the audit red.
 */
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WholeStackSaleTest {

    private static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final LocalEnvironment environment;

    WholeStackSaleTest(RealServers servers) throws InterruptedException {
        environment = LocalEnvironment.start(
                new LocalEnvironment.Options(REPOSITORY, 0, Duration.ofSeconds(2), 100, 32), servers);
    }

    @AfterAll
    void stop() {
        environment.close();
    }

    private JsonNode call(String method, String path, String bearer, String body, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(environment.baseUrl() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s -> %s", method, path, response.body()).isEqualTo(expectedStatus);
        return json.readTree(response.body());
    }

    @Test
    void shouldSellThroughTheGatewayAndPersistTheOrder_asTheReadmeWalkThroughShows() throws Exception {
        String admin = login("{\"userId\":\"boss\",\"admin\":true}");
        String alice = login("{\"userId\":\"alice\"}");
        Instant now = Instant.now();
        String productId = preloadedSaleOf10(admin, now.plusSeconds(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> !call("GET", "/api/products/" + productId, null, null, 200)
                .path("serverTime").asText().isEmpty()
                && Instant.parse(call("GET", "/api/products/" + productId, null, null, 200).path("serverTime").asText())
                .isAfter(now.plusSeconds(1)));

        String token = call("POST", "/api/flash-sale/token", alice, "{\"productId\":\"" + productId + "\"}", 200)
                .path("token").asText();
        String requestId = call("POST", "/api/flash-sale/buy", alice,
                "{\"productId\":\"" + productId + "\",\"quantity\":1,\"token\":\"" + token + "\"}", 202).path("requestId").asText();

        // polled as a client does, not faster than the per-user bucket refills
        JsonNode result = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(
                () -> call("GET", "/api/flash-sale/result/" + requestId, alice, null, 200),
                r -> r.path("status").asText().equals("SUCCESS"));
        JsonNode order = call("GET", "/api/orders/" + result.path("orderId").asText(), alice, null, 200);
        assertThat(order.path("status").asText()).isEqualTo("PENDING_PAYMENT");
        assertThat(call("POST", "/admin/orders/" + order.path("orderId").asText() + "/paid", admin, null, 200)
                .path("status").asText()).isEqualTo("PAID");
        JsonNode stats = call("GET", "/admin/products/" + productId + "/stats", admin, null, 200);
        assertThat(stats.path("redisStock").asInt()).isEqualTo(9);
        assertThat(stats.path("paid").asInt()).isEqualTo(1);
    }

    @Test
    void shouldRefuseTokenAndBuyWithinASecondOfAPause_andSellWithTheSameTokenAfterResume() throws Exception {
        String admin = login("{\"userId\":\"boss\",\"admin\":true}");
        String bob = login("{\"userId\":\"bob\"}");
        String productId = preloadedSaleOf10(admin, Instant.now().minusSeconds(1));
        String tokenBody = "{\"productId\":\"" + productId + "\"}";
        String token = call("POST", "/api/flash-sale/token", bob, tokenBody, 200).path("token").asText();
        String buyBody = "{\"productId\":\"" + productId + "\",\"quantity\":1,\"token\":\"" + token + "\"}";

        assertThat(call("POST", "/admin/products/" + productId + "/pause", admin, null, 200).path("state").asText())
                .isEqualTo("PAUSED");
        long paused = System.nanoTime();
        await().atMost(Duration.ofMillis(1_500)).pollInterval(Duration.ofMillis(20))
                .until(() -> error("POST", "/api/flash-sale/token", bob, tokenBody).equals("SALE_PAUSED"));
        Duration tokenRefusedAfter = Duration.ofNanos(System.nanoTime() - paused);
        String buyWhilePaused = error("POST", "/api/flash-sale/buy", bob, buyBody);
        call("POST", "/admin/products/" + productId + "/resume", admin, null, 200);

        assertThat(tokenRefusedAfter).isLessThanOrEqualTo(Duration.ofMillis(1_200));
        assertThat(buyWhilePaused).isEqualTo("SALE_PAUSED");
        await().atMost(Duration.ofMillis(1_500)).pollInterval(Duration.ofMillis(20))
                .until(() -> error("POST", "/api/flash-sale/buy", bob, buyBody).isEmpty());
        JsonNode listed = call("GET", "/admin/products", admin, null, 200).path("products");
        assertThat(listed.findValues("productId").stream().map(JsonNode::asText)).contains(productId);
        assertThat(call("GET", "/admin/products/" + productId + "/stats", admin, null, 200).path("redisStock").asInt())
                .isEqualTo(9);
    }

    private String login(String body) throws Exception {
        return call("POST", "/local/login", null, body, 200).path("accessToken").asText();
    }

    /** A product of 10 units on sale from {@code startsAt} for an hour, preloaded; its id. */
    private String preloadedSaleOf10(String admin, Instant startsAt) throws Exception {
        String productId = call("POST", "/admin/products", admin, String.format(
                "{\"name\":\"Phone\",\"priceCents\":99900,\"stock\":10,\"startsAt\":\"%s\",\"endsAt\":\"%s\"}",
                startsAt, startsAt.plusSeconds(3600)), 201).path("productId").asText();
        call("POST", "/admin/products/" + productId + "/preload", admin, null, 200);
        return productId;
    }

    /** The error code of a call's answer, "" for a 2xx. */
    private String error(String method, String path, String bearer, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(environment.baseUrl() + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + bearer)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() / 100 == 2 ? "" : json.readTree(response.body()).path("error").asText();
    }

    @Test
    void shouldAuditGreen_afterASimulatedSaleOf200UnitsFor2000Users(@TempDir Path reports) throws Exception {
        var log = new ByteArrayOutputStream();
        Simulation.Outcome outcome = new Simulation(environment.baseUrl(), 64, new PrintStream(log, true))
                .run(new Simulation.Plan(200, 2_000, 64, 0.1, 0.05, Duration.ofSeconds(2)));
        List<Audit.Line> audit = Audit.of(outcome, environment, false);
        Map<String, String> figures = Figures.of(outcome);
        Path report = reports.resolve("sale.html");
        HtmlReport.write(report, outcome, figures, audit);

        assertThat(audit).as(Audit.render(audit)).allMatch(Audit.Line::passed);
        assertThat(outcome.acceptedByRequest()).hasSize(200);
        assertThat(figures).containsKeys("buy requests/s", "buy latency p99", "time to sell out");
        assertThat(Files.readString(report)).contains("<svg", "Audit", "PASS").doesNotContain("FAIL");
        assertThat(log.toString()).contains("2000/2000 users");
    }

    @Test
    void shouldSellTheStockToUsersWhoSolvedTheCheckAndNothingToBots_whenTheProductAsksForAltcha() throws Exception {
        var log = new ByteArrayOutputStream();

        Simulation.Outcome outcome = new Simulation(environment.baseUrl(), 32, new PrintStream(log, true))
                .run(new Simulation.Plan(20, 100, 32, 0.1, 0.05, Duration.ofSeconds(2)).withBots(40, 1_000));
        List<Audit.Line> audit = Audit.of(outcome, environment, false);

        assertThat(audit).as(Audit.render(audit)).allMatch(Audit.Line::passed).anyMatch(line -> line.check().equals(Audit.BOTS));
        assertThat(outcome.bots().attempts()).allSatisfy((move, tries) -> assertThat(tries).as("%s", move).isPositive());
        assertThat(outcome.bots().totalTokens()).isZero();
        assertThat(outcome.botUnits()).isZero();
        assertThat(outcome.finalStatus().values().stream().filter("SUCCESS"::equals)).hasSize(20);
        assertThat(call("GET", "/api/products/" + outcome.productId(), null, null, 200).path("humanCheck").asText())
                .isEqualTo("altcha");
    }

    /**
     * The pause of docs/api.md under a crowd: paused 1 s into the sale, resumed 2 s later; every token and
     * buy answer timed against the pause's answer (PlantedDefect.PAUSE_IGNORED plays the same sale with
     * the card's pause ignored, and the pause line turns red).
     */
    @Test
    void shouldRefuseTokenAndBuyWithinASecond_andSellTheWholeStockAfterResume_whenPausedMidCrowd() throws Exception {
        var log = new ByteArrayOutputStream();

        Simulation.Outcome outcome = new Simulation(environment.baseUrl(), 16, new PrintStream(log, true))
                .run(Simulation.Plan.pausedMidCrowd(120, 16));
        List<Audit.Line> audit = Audit.of(outcome, environment, false);
        System.out.println(Figures.of(outcome) + "\n" + Audit.render(audit));

        assertThat(audit).as(Audit.render(audit)).allMatch(Audit.Line::passed).anyMatch(line -> line.check().equals(Audit.PAUSE));
        PauseWatch.Seen seen = outcome.pause();
        assertThat(seen.tokenRefusals()).isPositive();
        assertThat(seen.lastTokenGrantedMs()).isLessThanOrEqualTo(PauseWatch.LIMIT.toMillis());
        assertThat(seen.lastBuyAcceptedMs()).isLessThanOrEqualTo(PauseWatch.LIMIT.toMillis());
        assertThat(seen.acceptedAfterResume()).isPositive();
        assertThat(outcome.finalStatus().values().stream().filter("SUCCESS"::equals)).hasSize(outcome.plan().stock());
    }

    /**
     * The audit can fail: each planted defect, in a small sale of its own on this same stack, turns
     * its own audit line red (the sale above, without a defect, audits green).
     */
    @Nested
    class PlantedDefects {

        @ParameterizedTest(name = "{0}")
        @EnumSource(PlantedDefect.class)
        void shouldTurnItsAuditLineRed_whenTheDefectIsPlanted(PlantedDefect defect) throws Exception {
            var log = new ByteArrayOutputStream();
            List<Audit.Line> audit;
            try (PlantedDefect.Planting planting = defect.plantIn(environment)) {
                Simulation.Outcome outcome = new Simulation(environment.baseUrl(), 16, new PrintStream(log, true))
                        .run(defect.plan(new Simulation.Plan(20, 120, 16, 0.1, 0.05, Duration.ofSeconds(2))),
                                planting.companion());
                audit = Audit.of(outcome, environment, false);
            }
            String report = defect + "\n" + Audit.render(audit);
            System.out.println(report);

            assertThat(audit).as("every line read its data: %s", report).noneMatch(line -> line.detail().startsWith("not read"));
            assertThat(Audit.red(audit)).as(report).contains(defect.redLine());
        }
    }
}
