package com.flashsale.local.runtime.gateway;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The web pages, plain static files (classpath {@code /pages}, i.e. local-env/runtime/src/main/resources/pages)
 * that any static host could serve: {@code GET /local/shop/{productId}} is the storefront
 * (shop.html, which reads the product id from its address), {@code GET /local/ops} the operator's
 * page (ops.html), and {@code GET /local/pages/<file>} their scripts, styles and the vendored ALTCHA
 * widget. The pages call the API on the same origin, as they would behind API Gateway's domain.
 */
final class StaticPages {

    private static final Pattern SHOP = Pattern.compile("/local/shop/[A-Za-z0-9_-]{1,64}/?");
    private static final Pattern FILE = Pattern.compile("/local/pages/((?:[a-z0-9_-]+/)*[A-Za-z0-9_.-]+\\.(html|js|css|txt))");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "txt", "text/plain; charset=utf-8");

    /** The page or file at this path, if it is one. */
    Optional<FullHttpResponse> serve(String path) {
        if (SHOP.matcher(path).matches()) {
            return file("shop.html", "html");
        }
        if (path.equals("/local/ops") || path.equals("/local/ops/")) {
            return file("ops.html", "html");
        }
        var file = FILE.matcher(path);
        if (file.matches() && !file.group(1).contains("..")) {
            return file(file.group(1), file.group(2));
        }
        return Optional.empty();
    }

    private static Optional<FullHttpResponse> file(String name, String extension) {
        try (InputStream in = StaticPages.class.getResourceAsStream("/pages/" + name)) {
            if (in == null) {
                return Optional.empty();
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(in.readAllBytes()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, TYPES.get(extension));
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            return Optional.of(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
