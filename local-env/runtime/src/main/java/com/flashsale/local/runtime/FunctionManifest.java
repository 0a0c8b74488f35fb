package com.flashsale.local.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.flashsale.local.runtime.lambda.LocalFunction;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The functions of the system as {@code functions/functions.json} lists them: the one list that
 * Terraform, this runtime and the route tests all read.
 */
public record FunctionManifest(Path repositoryRoot, Map<String, Function> functions) {

    /** Who may call a route, as API Gateway's JWT authorizer decides it. */
    public enum Access { PUBLIC, USER, ADMIN }

    public record Route(String method, String path, Access auth) {
    }

    public record Function(String description, String handler, List<String> uses, List<Route> routes) {
    }

    private record Document(Map<String, Function> functions) {
    }

    public static FunctionManifest read(Path repositoryRoot) {
        Path file = repositoryRoot.resolve("functions").resolve("functions.json");
        try {
            Document document = JsonMapper.builder()
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                    .build()
                    .readValue(file.toFile(), Document.class);
            // in the file's order (migrate first: the local runtime invokes it alone, before starting the others)
            return new FunctionManifest(repositoryRoot, Collections.unmodifiableMap(new LinkedHashMap<>(document.functions())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the function manifest " + file, e);
        }
    }

    public Function function(String name) {
        Function function = functions.get(name);
        if (function == null) {
            throw new NoSuchElementException("no function " + name + " in functions/functions.json");
        }
        return function;
    }

    /** The jar Maven builds for Lambda, the one Terraform uploads. */
    public Path artifact(String name) {
        return repositoryRoot.resolve("functions").resolve(name).resolve("target").resolve(name + "-lambda.jar");
    }

    /** A new container of the function: a cold start from its artifact. */
    public LocalFunction load(String name) {
        return LocalFunction.load(name, artifact(name), function(name).handler());
    }
}
