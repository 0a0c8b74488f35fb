package com.flashsale.local.lab.pages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flashsale.local.runtime.LocalEnvironment;
import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The storefront ({@code /local/shop/{productId}}) and the operator's page ({@code /local/ops}) in
 * headless Chromium over the whole local stack: a shopper signs in and buys on the page, and the
 * ops page shows the order. Skips, saying why, where Chromium or chromedriver is missing (CI
 * installs Debian's chromium and chromium-driver). Screenshots: target/storefront.png, target/ops.png,
 * target/storefront-altcha.png, target/ops-paused.png.
 */
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagesInBrowserTest {

    private static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final Duration PAGE_DEADLINE = Duration.ofSeconds(30);
    /** The payment provider's signing secret in this stack (a test value, never a real one). */
    private static final String WEBHOOK_SECRET = "whsec-pages-test-" + System.nanoTime();

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalEnvironment environment;
    private WebDriver browser;
    private String admin;

    @BeforeAll
    void start(RealServers servers) throws Exception {
        Path driver = Path.of(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver"));
        Optional<Path> chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
                .map(Path::of).filter(Files::isExecutable).findFirst();
        assumeTrue(Files.isExecutable(driver) && chromium.isPresent(),
                "no headless browser here (" + driver + " and /usr/bin/chromium): the page tests are skipped; "
                        + "install them with: apt-get install chromium chromium-driver");
        System.setProperty("webdriver.chrome.driver", driver.toString());
        environment = LocalEnvironment.start(
                new LocalEnvironment.Options(REPOSITORY, 0, Duration.ofSeconds(2), 100, 8,
                        Map.of("flashsale.payment-webhook.current-secret", WEBHOOK_SECRET)), servers);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1440,900");
        browser = new ChromeDriver(options);
        browser.manage().timeouts().scriptTimeout(PAGE_DEADLINE);
        admin = call("POST", "/local/login", null, "{\"userId\":\"boss\",\"admin\":true}", 200).path("accessToken").asText();
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (environment != null) {
            environment.close();
        }
    }

    private JsonNode call(String method, String path, String bearer, String body, int expectedStatus) throws Exception {
        return call(method, path, bearer, body, Map.of(), expectedStatus);
    }

    private JsonNode call(String method, String path, String bearer, String body, Map<String, String> headers,
                          int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(environment.baseUrl() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s -> %s", method, path, response.body()).isEqualTo(expectedStatus);
        return json.readTree(response.body());
    }

    /** A preloaded product without a human check, on sale from {@code startsAt}. */
    private String productOnSale(String name, Instant startsAt) throws Exception {
        String productId = call("POST", "/admin/products", admin, String.format(
                "{\"name\":\"%s\",\"priceCents\":12900,\"stock\":5,\"startsAt\":\"%s\",\"endsAt\":\"%s\"}",
                name, startsAt, startsAt.plusSeconds(3600)), 201).path("productId").asText();
        call("POST", "/admin/products/" + productId + "/preload", admin, null, 200);
        return productId;
    }

    /** The payment provider's delivery: {@code Flashsale-Signature: t=<now>,v1=<HMAC-SHA256 of "t.body">}. */
    private JsonNode deliverPayment(String body, String secret, int expectedStatus) throws Exception {
        long t = Instant.now().getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        return call("POST", "/payments/webhook", null, body, Map.of("Flashsale-Signature", "t=" + t + ",v1=" + signature),
                expectedStatus);
    }

    /**
     * The ops page's row of this product, cell class to text, read in one script run: the page
     * replaces its rows on every refresh, so elements found one by one could go stale in between.
     */
    @SuppressWarnings("unchecked")
    private Map<String, String> opsRow(String productId) {
        Object row = ((JavascriptExecutor) browser).executeScript("""
                const tr = [...document.querySelectorAll('tr[data-product-id]')]
                    .find((r) => r.dataset.productId === arguments[0]);
                if (!tr) return {};
                const cells = {};
                tr.querySelectorAll('td').forEach((td) => { cells[td.className.split(' ')[0]] = td.textContent; });
                return cells;
                """, productId);
        return (Map<String, String>) row;
    }

    /** The page with no shopper signed in: the storefront keeps the JWT in the tab's session storage. */
    private void openSignedOut(String path) {
        browser.get(environment.baseUrl() + path);
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private void screenshot(String file) throws Exception {
        Files.createDirectories(TARGET);
        Files.write(TARGET.resolve(file), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void shouldBuyOnTheStorefront_andShowTheOrderOnTheOpsPage() throws Exception {
        // Arrange: a sale that starts in a few seconds, so the page counts down first
        String productId = productOnSale("Browser Phone", Instant.now().plusSeconds(4));

        // Act: the shopper opens the storefront, signs in and buys once the sale starts
        openSignedOut("/local/shop/" + productId);
        await().atMost(PAGE_DEADLINE).until(() -> text("name").equals("Browser Phone"));
        assertThat(text("price")).contains("129");
        assertThat(text("countdown")).matches("(Starts in|On sale).*");
        assertThat(browser.findElement(By.id("human-check")).isDisplayed()).isFalse();
        browser.findElement(By.id("user")).sendKeys("shopper-1");
        browser.findElement(By.id("login")).click();
        await().atMost(PAGE_DEADLINE).until(() -> text("who").equals("signed in as shopper-1"));
        WebElement buy = browser.findElement(By.id("buy"));
        await().atMost(PAGE_DEADLINE).until(buy::isEnabled);
        buy.click();

        // Assert: the page polls the result until the order is there
        await().atMost(PAGE_DEADLINE).until(() -> text("status").equals("SUCCESS"));
        String orderId = browser.findElement(By.id("result")).getDomAttribute("data-order-id");
        assertThat(text("message")).contains("Order " + orderId);
        assertThat(text("countdown")).startsWith("On sale");
        screenshot("storefront.png");

        // and the operator's page shows the order among the product's figures
        browser.get(environment.baseUrl() + "/local/ops?productId=" + productId);
        await().atMost(PAGE_DEADLINE).until(() -> "1".equals(opsRow(productId).get("orders")));
        assertThat(opsRow(productId)).containsEntry("name", "Browser Phone").containsEntry("state", "ON_SALE")
                .containsEntry("accepted", "1").containsEntry("redis-stock", "4").containsEntry("postgres-stock", "4")
                .containsEntry("gap", "0").containsEntry("dead-letters", "0").containsEntry("paid", "0");
        JsonNode stats = call("GET", "/admin/products/" + productId + "/stats", admin, null, 200);
        assertThat(stats.path("orders").asInt()).isEqualTo(1);

        // the payment provider pays the order through the gateway (public route, signed), then again
        String payment = "{\"eventId\":\"evt-" + orderId + "\",\"orderId\":\"" + orderId
                + "\",\"amountCents\":12900,\"currency\":\"EUR\",\"providerRef\":\"pi_1\",\"status\":\"SUCCEEDED\"}";
        assertThat(deliverPayment(payment, "not-the-secret", 401).path("error").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(deliverPayment(payment, WEBHOOK_SECRET, 200).path("status").asText()).isEqualTo("PAID");
        assertThat(deliverPayment(payment, WEBHOOK_SECRET, 200).path("status").asText()).isEqualTo("PAID");
        await().atMost(PAGE_DEADLINE).until(() -> "1".equals(opsRow(productId).get("paid")));
        screenshot("ops.png");
    }

    /**
     * The storefront's human check over the real challenge route: the page shows the vendored ALTCHA
     * widget, which fetches {@code GET /api/flash-sale/challenge} and solves it when the shopper ticks
     * it; the buy sends the solution with the token request and succeeds; the same solution again is
     * refused {@code HUMAN_CHECK_FAILED}. Screenshot: target/storefront-altcha.png.
     */
    @Test
    void shouldBuyWithTheSolvedAltchaChallenge_andRefuseTheSameSolutionAgain() throws Exception {
        // Arrange: a product on sale that asks for an ALTCHA proof of a low difficulty; a fresh tab session
        String productId = call("POST", "/admin/products", admin, String.format(
                "{\"name\":\"Human Phone\",\"priceCents\":12900,\"stock\":5,\"startsAt\":\"%s\",\"endsAt\":\"%s\","
                        + "\"humanCheck\":\"altcha\",\"difficulty\":1000}",
                Instant.now().minusSeconds(1), Instant.now().plusSeconds(3600)), 201).path("productId").asText();
        call("POST", "/admin/products/" + productId + "/preload", admin, null, 200);
        openSignedOut("/local/shop/" + productId);
        await().atMost(PAGE_DEADLINE).until(() -> text("name").equals("Human Phone"));
        browser.findElement(By.id("user")).sendKeys("human-1");
        browser.findElement(By.id("login")).click();
        await().atMost(PAGE_DEADLINE).until(() -> browser.findElement(By.id("human-check")).isDisplayed()
                && !browser.findElements(By.tagName("altcha-widget")).isEmpty());
        assertThat(browser.findElement(By.id("buy")).isEnabled()).as("no buy before the check is solved").isFalse();

        // Act: the shopper ticks the widget's box; it solves the challenge the page fetched, then the shopper buys
        await().atMost(PAGE_DEADLINE).ignoreExceptions().until(() -> (Boolean) ((JavascriptExecutor) browser).executeScript("""
                const widget = document.querySelector('altcha-widget');
                const box = (widget.shadowRoot || widget).querySelector('input[type=checkbox]');
                if (!box) return false;
                box.click();
                return true;
                """));
        WebElement buy = browser.findElement(By.id("buy"));
        await().atMost(PAGE_DEADLINE).until(buy::isEnabled);
        String solution = (String) ((JavascriptExecutor) browser).executeScript("""
                const widget = document.querySelector('altcha-widget');
                return (widget.shadowRoot || widget).querySelector('input[name=altcha]').value;
                """);
        buy.click();

        // Assert: the order is there; the solution the page sent is spent
        await().atMost(PAGE_DEADLINE).until(() -> text("status").equals("SUCCESS"));
        screenshot("storefront-altcha.png");
        JsonNode decoded = json.readTree(Base64.getDecoder().decode(solution));
        assertThat(decoded.path("salt").asText()).contains("p=" + productId);
        String jwt = (String) ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('flashsale.jwt')");
        JsonNode again = call("POST", "/api/flash-sale/token", jwt,
                "{\"productId\":\"" + productId + "\",\"altcha\":\"" + solution + "\"}", 403);
        assertThat(again.path("error").asText()).isEqualTo("HUMAN_CHECK_FAILED");
        assertThat(call("GET", "/admin/products/" + productId + "/stats", admin, null, 200).path("orders").asInt()).isEqualTo(1);
    }

    /**
     * The ops page lists products from {@code GET /admin/products} (none named in the address) and
     * shows a pause. Screenshot: target/ops-paused.png.
     */
    @Test
    void shouldListTheProductFromTheAdminList_andShowItPaused_onTheOpsPage() throws Exception {
        String productId = productOnSale("Paused Phone", Instant.now().minusSeconds(1));
        browser.get(environment.baseUrl() + "/local/ops");
        await().atMost(PAGE_DEADLINE).until(() -> "ON_SALE".equals(opsRow(productId).get("state")));
        assertThat(text("note")).isEmpty();

        assertThat(call("POST", "/admin/products/" + productId + "/pause", admin, null, 200).path("state").asText())
                .isEqualTo("PAUSED");

        await().atMost(PAGE_DEADLINE).until(() -> "PAUSED".equals(opsRow(productId).get("state")));
        assertThat(opsRow(productId)).containsEntry("name", "Paused Phone").containsEntry("redis-stock", "5");
        screenshot("ops-paused.png");
    }

    /**
     * The storefront's human check in the browser, without the challenge route: the vendored widget,
     * configured as shop.js does ({@code configure({challenge})}, then the click's {@code verify()}),
     * solves an ALTCHA v1 challenge (what org.altcha:altcha 1.3.0 issues) and reports the payload
     * through {@code statechange}, the solution the token route receives.
     */
    @Test
    void shouldSolveAnAltchaV1Challenge_withTheVendoredWidget() throws Exception {
        String salt = "s" + System.nanoTime() + "?expires=" + Instant.now().plusSeconds(300).getEpochSecond();
        int number = 4321;
        String challenge = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest((salt + number).getBytes(StandardCharsets.UTF_8)));
        String challengeJson = json.createObjectNode().put("algorithm", "SHA-256").put("challenge", challenge)
                .put("maxnumber", 10_000).put("salt", salt).put("signature", "0".repeat(64)).toString();
        browser.get(environment.baseUrl() + "/local/shop/p0000000000000000");

        Object payload = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const script = document.createElement('script');
                script.type = 'module';
                script.src = '/local/pages/vendor/altcha/altcha.min.js';
                document.head.appendChild(script);
                customElements.whenDefined('altcha-widget').then(() => {
                  const widget = document.createElement('altcha-widget');
                  widget.setAttribute('auto', 'off');
                  widget.addEventListener('statechange', (event) => {
                    if (event.detail.state === 'verified') done(event.detail.payload);
                    if (event.detail.state === 'error') done('error');
                  });
                  document.getElementById('human-check').hidden = false;
                  document.getElementById('human-check').appendChild(widget);
                  setTimeout(() => { widget.configure({ challenge: JSON.parse(arguments[0]) }); widget.verify(); }, 100);
                });
                """, challengeJson);

        assertThat(payload).isInstanceOf(String.class).isNotEqualTo("error");
        JsonNode solution = json.readTree(Base64.getDecoder().decode((String) payload));
        assertThat(solution.path("number").asInt()).isEqualTo(number);
        assertThat(solution.path("challenge").asText()).isEqualTo(challenge);
        assertThat(solution.path("salt").asText()).isEqualTo(salt);
    }

    @Test
    void shouldSayNoSuchProduct_whenTheStorefrontIsOpenedForAnUnknownProduct() {
        browser.get(environment.baseUrl() + "/local/shop/p0000000000000000");

        await().atMost(PAGE_DEADLINE).until(() -> text("name").equals("No such product"));
        assertThat(browser.findElement(By.id("buy")).isEnabled()).isFalse();
    }

    @Test
    void shouldServeThePagesAsPlainFiles_whenAskedDirectly() throws Exception {
        List<String> files = List.of("/local/pages/common.js", "/local/pages/shop.js", "/local/pages/ops.js", "/local/pages/style.css",
                "/local/pages/vendor/altcha/altcha.min.js", "/local/pages/vendor/altcha/LICENSE.txt");
        for (String file : files) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(environment.baseUrl() + file)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(file).isEqualTo(200);
            assertThat(response.body()).as(file).isNotBlank();
        }
        HttpResponse<String> escape = http.send(HttpRequest.newBuilder(
                URI.create(environment.baseUrl() + "/local/pages/../simplelogger.properties")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(escape.statusCode()).isEqualTo(404);
    }
}
