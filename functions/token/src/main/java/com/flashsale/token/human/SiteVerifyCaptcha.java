package com.flashsale.token.human;

import com.flashsale.http.ApiException;
import io.micronaut.core.util.StringUtils;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The siteverify call of Turnstile and reCAPTCHA: {@code POST} a form {@code secret}, {@code response}
 * and {@code remoteip} to {@link HumanCheckConfiguration#providerVerifyUrl()}, answer
 * {@code {"success":true|false,...}}. The JDK's HTTP client with a timeout on connect and on the answer.
 */
@Singleton
public class SiteVerifyCaptcha implements CaptchaVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(SiteVerifyCaptcha.class);
    /** Provider tokens are about 2 KB; anything much larger is not one (and is not sent on). */
    private static final int MAX_RESPONSE_CHARS = 4096;

    private final HumanSecrets secrets;
    private final JsonMapper json;
    private final String verifyUrl;
    private final Duration timeout;
    private volatile HttpClient client;

    public SiteVerifyCaptcha(HumanSecrets secrets, JsonMapper json, HumanCheckConfiguration configuration) {
        this.secrets = secrets;
        this.json = json;
        this.verifyUrl = configuration.providerVerifyUrl();
        this.timeout = configuration.providerTimeout();
    }

    @Override
    public boolean verify(String response, String remoteIp) {
        if (response == null || response.isBlank() || response.length() > MAX_RESPONSE_CHARS) {
            return false;
        }
        if (!StringUtils.hasText(verifyUrl)) {
            throw ApiException.unavailable("the captcha provider is not configured; human verification is unavailable");
        }
        String form = "secret=" + encode(secrets.providerSecret()) + "&response=" + encode(response)
                + ("unknown".equals(remoteIp) ? "" : "&remoteip=" + encode(remoteIp));
        HttpRequest request = HttpRequest.newBuilder(URI.create(verifyUrl))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<byte[]> answer;
        try {
            answer = client().send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            LOG.warn("captcha provider unreachable: {}", e.getClass().getSimpleName());
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
        if (answer.statusCode() != 200) {
            LOG.warn("captcha provider answered HTTP {}", answer.statusCode());
            throw unavailable();
        }
        JsonNode success;
        try {
            JsonNode body = json.readValue(answer.body(), JsonNode.class);
            success = body == null || !body.isObject() ? null : body.get("success");
        } catch (IOException | RuntimeException e) {
            success = null;
        }
        if (success == null || !success.isBoolean()) {
            LOG.warn("captcha provider answered without a boolean success");
            throw unavailable();
        }
        return success.getBooleanValue();
    }

    private HttpClient client() {
        HttpClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    client = HttpClient.newBuilder().connectTimeout(timeout).build();
                }
                current = client;
            }
        }
        return current;
    }

    private static ApiException unavailable() {
        return ApiException.unavailable("the captcha provider is unavailable; please retry");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
