package com.flashsale.token.human;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in of a captcha provider's siteverify endpoint (Turnstile's and reCAPTCHA's form:
 * POST secret, response, remoteip; JSON {"success":...}). {@value #GOOD} passes; {@value #BROKEN}
 * gets an HTTP 500; {@value #SLOW} is answered only after {@code slowMillis}; anything else fails.
 */
final class CaptchaStandIn implements AutoCloseable {

    static final String SECRET = "stand-in-site-secret";
    static final String GOOD = "good-token";
    static final String BROKEN = "provider-breaks";
    static final String SLOW = "provider-hangs";

    private final HttpServer server;
    private final List<Map<String, String>> forms = new CopyOnWriteArrayList<>();

    CaptchaStandIn(long slowMillis) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/siteverify", exchange -> {
            Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            forms.add(form);
            String response = form.getOrDefault("response", "");
            if (SLOW.equals(response)) {
                try {
                    Thread.sleep(slowMillis); // a provider that hangs: the caller's timeout must fire first
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = BROKEN.equals(response) ? 500 : 200;
            boolean success = SECRET.equals(form.get("secret")) && GOOD.equals(response);
            byte[] body = ("{\"success\":" + success + ",\"error-codes\":[]}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/siteverify";
    }

    /** The forms the endpoint received, in order. */
    List<Map<String, String>> forms() {
        return forms;
    }

    private static Map<String, String> parse(String form) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
