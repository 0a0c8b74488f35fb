package com.flashsale.http;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The deployed routes and the function behind each, as functions/functions.json lists them; and
 * readers for the OpenAPI document a function's controllers generate and for docs/api.md.
 */
public final class ApiRoutes {

    private static final Path REPOSITORY = repositoryRoot();

    /** Every deployed route ("METHOD /path") and its function. */
    public static final Map<String, String> ROUTES = manifestRoutes();

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

    /** The deployed routes docs/api.md names ("/local/**" is the local gateway's, never deployed). */
    public static Set<String> fromApiMd() {
        return parse(REPOSITORY.resolve("docs").resolve("api.md"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> manifestRoutes() {
        try (InputStream in = Files.newInputStream(REPOSITORY.resolve("functions").resolve("functions.json"))) {
            Map<String, Map<String, Object>> functions = (Map<String, Map<String, Object>>) new Yaml()
                    .<Map<String, Object>>load(in).get("functions");
            Map<String, String> routes = new TreeMap<>();
            functions.forEach((function, entry) -> ((List<Map<String, String>>) entry.get("routes"))
                    .forEach(route -> routes.put(route.get("method") + " " + route.get("path"), function)));
            if (routes.isEmpty()) {
                throw new IllegalStateException("functions/functions.json lists no route");
            }
            return Map.copyOf(routes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory above the module's that holds functions/functions.json. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("functions").resolve("functions.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("functions/functions.json not found above " + Path.of("").toAbsolutePath());
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
            if (routes.isEmpty()) {
                throw new IllegalStateException(apiMd + " names no route: the route check would pass on nothing");
            }
            return routes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
