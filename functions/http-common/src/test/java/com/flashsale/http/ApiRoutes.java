package com.flashsale.http;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * API.md's routes, committed here (CI may not have ../shared), with the function that serves each;
 * and readers for the OpenAPI document a function's controllers generate and for API.md itself.
 */
public final class ApiRoutes {

    /** Every deployed route of API.md ("/local/**" is the local gateway's, never deployed) and its function. */
    public static final Map<String, String> ROUTES = Map.of(
            "POST /api/flash-sale/token", "token",
            "POST /api/flash-sale/buy", "buy",
            "GET /api/flash-sale/result/{requestId}", "result",
            "GET /api/products/{productId}", "result",
            "GET /api/orders/{orderId}", "result",
            "POST /admin/products", "admin",
            "POST /admin/products/{productId}/preload", "admin",
            "POST /admin/orders/{orderId}/paid", "admin",
            "GET /admin/products/{productId}/stats", "admin");

    private static final Pattern ROUTE = Pattern.compile("`(GET|POST|PUT|PATCH|DELETE) (/[^` ]*)");

    private ApiRoutes() {
    }

    public static Set<String> of(String function) {
        return ROUTES.entrySet().stream().filter(e -> e.getValue().equals(function)).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** "METHOD /path" of every operation in the function's generated OpenAPI document. */
    @SuppressWarnings("unchecked")
    public static Set<String> openApi(String function) {
        String resource = "/META-INF/swagger/" + function + "-1.yml";
        try (InputStream in = ApiRoutes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no generated OpenAPI document " + resource);
            }
            Map<String, Object> document = new Yaml().load(in);
            Set<String> routes = new TreeSet<>();
            ((Map<String, Map<String, Object>>) document.get("paths")).forEach((path, operations) ->
                    operations.keySet().forEach(method -> routes.add(method.toUpperCase() + " " + path)));
            return routes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The deployed routes API.md names, if ../shared/API.md is beside the repository. */
    public static Optional<Set<String>> fromApiMd() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("API.md");
            if (Files.exists(dir.resolve("pom.xml")) && Files.exists(candidate)) {
                return Optional.of(parse(candidate));
            }
        }
        return Optional.empty();
    }

    private static Set<String> parse(Path apiMd) {
        try {
            Matcher matcher = ROUTE.matcher(Files.readString(apiMd));
            Set<String> routes = new TreeSet<>();
            while (matcher.find()) {
                if (!matcher.group(2).startsWith("/local/")) {
                    routes.add(matcher.group(1) + " " + matcher.group(2));
                }
            }
            return routes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
