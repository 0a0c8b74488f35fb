package com.flashsale.local.runtime.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flashsale.local.runtime.FunctionManifest;
import com.flashsale.local.runtime.lambda.Invocable;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * API Gateway on one machine: each HTTP request becomes an {@code APIGatewayV2HTTPEvent} (payload
 * 2.0) for the function behind its route, after the JWT check API Gateway's authorizer would make;
 * the function's response becomes the HTTP response. Built on Netty; functions run on a worker
 * pool, never on the event loop.
 */
public final class LocalGateway implements AutoCloseable {

    /** API Gateway refuses larger bodies itself; the functions enforce the API's own 16 KiB. */
    private static final int MAX_BODY_BYTES = 1024 * 1024;

    private final ObjectMapper json = new ObjectMapper();
    private final StaticPages pages = new StaticPages();
    private final Map<String, ? extends Invocable> functions;
    private final List<Route> routes;
    private final LocalJwt jwt;
    private final BooleanSupplier healthy;
    private final EventLoopGroup group;
    private final ExecutorService workers;
    private final Channel channel;

    /**
     * @param healthy answers {@code GET /local/health}: true once every server and function is ready
     */
    public LocalGateway(int port, FunctionManifest manifest, Map<String, ? extends Invocable> functions, LocalJwt jwt,
                        BooleanSupplier healthy, int workerThreads) throws InterruptedException {
        this.functions = functions;
        this.routes = Route.of(manifest);
        this.jwt = jwt;
        this.healthy = healthy;
        this.group = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        this.workers = Executors.newFixedThreadPool(workerThreads, runnable -> {
            Thread thread = new Thread(runnable, "gateway-worker");
            thread.setDaemon(true);
            return thread;
        });
        this.channel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpServerExpectContinueHandler(),
                                new HttpObjectAggregator(MAX_BODY_BYTES), new Handler());
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            request.retain();
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            String sourceIp = sourceIp(ctx, request);
            workers.execute(() -> {
                FullHttpResponse response;
                try {
                    response = handle(request, sourceIp);
                } catch (RuntimeException e) {
                    // a function that throws is a 500 from API Gateway too ("Internal Server Error")
                    System.err.println("gateway: " + e);
                    response = error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "the function failed");
                } finally {
                    request.release();
                }
                write(ctx, response, keepAlive);
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private FullHttpResponse handle(FullHttpRequest request, String sourceIp) {
        if (!request.decoderResult().isSuccess()) {
            boolean tooLarge = String.valueOf(request.decoderResult().cause()).contains("TooLongFrame");
            return tooLarge
                    ? error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE", "request too large")
                    : error(HttpResponseStatus.BAD_REQUEST, "INVALID_REQUEST", "malformed HTTP request");
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String method = request.method().name();
        String path = uri.rawPath();
        if (path.startsWith("/local/")) {
            return local(method, path, request);
        }
        for (Route route : routes) {
            Optional<Map<String, String>> parameters = route.match(method, path);
            if (parameters.isPresent()) {
                return invoke(route, parameters.get(), uri, request, sourceIp);
            }
        }
        return error(HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "no route for " + method + " " + path);
    }

    private FullHttpResponse invoke(Route route, Map<String, String> pathParameters, QueryStringDecoder uri,
                                    FullHttpRequest request, String sourceIp) {
        Optional<Map<String, String>> claims = jwt.verify(request.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (route.access() != FunctionManifest.Access.PUBLIC && claims.isEmpty()) {
            return error(HttpResponseStatus.UNAUTHORIZED, "UNAUTHORIZED", "missing or invalid bearer token");
        }
        if (route.access() == FunctionManifest.Access.ADMIN && !LocalJwt.hasScope(claims.get(), LocalJwt.ADMIN_SCOPE)) {
            return error(HttpResponseStatus.FORBIDDEN, "FORBIDDEN", "the admin scope is required");
        }
        Invocable function = functions.get(route.function());
        if (function == null) {
            return error(HttpResponseStatus.SERVICE_UNAVAILABLE, "UNAVAILABLE", route.function() + " is not running");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().names().forEach(name ->
                headers.put(name.toLowerCase(Locale.ROOT), String.join(",", request.headers().getAll(name))));
        Map<String, String> query = new LinkedHashMap<>();
        uri.parameters().forEach((name, values) -> query.put(name, String.join(",", values)));
        Map<String, String> decodedParameters = new LinkedHashMap<>();
        pathParameters.forEach((name, value) -> decodedParameters.put(name, QueryStringDecoder.decodeComponent(value)));
        String event = ApiGatewayEvents.http(route.method(), route.template(), uri.rawPath(), uri.rawQuery(), query,
                decodedParameters, headers, request.content().isReadable() ? request.content().toString(StandardCharsets.UTF_8) : null,
                sourceIp, route.access() == FunctionManifest.Access.PUBLIC ? Optional.empty() : claims);
        String response = function.invoke(event);
        return toHttp(response);
    }

    private FullHttpResponse toHttp(String functionResponse) {
        try {
            JsonNode response = json.readTree(functionResponse);
            int status = response.path("statusCode").asInt(200);
            String body = response.path("body").asText("");
            byte[] bytes = response.path("isBase64Encoded").asBoolean(false)
                    ? java.util.Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
            FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                    Unpooled.wrappedBuffer(bytes));
            response.path("headers").fields().forEachRemaining(h -> http.headers().set(h.getKey(), h.getValue().asText()));
            // the same headers may come again as lists: they replace, not repeat, the single values
            response.path("multiValueHeaders").fields().forEachRemaining(h -> {
                http.headers().remove(h.getKey());
                h.getValue().forEach(v -> http.headers().add(h.getKey(), v.asText()));
            });
            return http;
        } catch (Exception e) {
            System.err.println("gateway: malformed function response: " + e);
            return error(HttpResponseStatus.BAD_GATEWAY, "INTERNAL_ERROR", "malformed function response");
        }
    }

    private FullHttpResponse local(String method, String path, FullHttpRequest request) {
        if (method.equals("GET") && path.equals("/local/health")) {
            boolean up = healthy.getAsBoolean();
            return jsonResponse(up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    json.createObjectNode().put("status", up ? "UP" : "DOWN"));
        }
        if (method.equals("POST") && path.equals("/local/login")) {
            try {
                JsonNode body = json.readTree(request.content().toString(StandardCharsets.UTF_8));
                JsonNode userId = body.path("userId");
                if (!userId.isTextual() || userId.asText().isBlank() || userId.asText().length() > 128
                        || !(body.path("admin").isMissingNode() || body.path("admin").isBoolean())) {
                    return error(HttpResponseStatus.BAD_REQUEST, "INVALID_REQUEST", "userId (1..128 chars) and optional boolean admin");
                }
                String token = jwt.issue(userId.asText(), body.path("admin").asBoolean(false), Duration.ofHours(12));
                return jsonResponse(HttpResponseStatus.OK, json.createObjectNode().put("accessToken", token));
            } catch (Exception e) {
                return error(HttpResponseStatus.BAD_REQUEST, "INVALID_REQUEST", "malformed JSON");
            }
        }
        if (method.equals("GET")) {
            Optional<FullHttpResponse> page = pages.serve(path);
            if (page.isPresent()) {
                return page.get();
            }
        }
        return error(HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "no route for " + method + " " + path);
    }

    private FullHttpResponse error(HttpResponseStatus status, String code, String message) {
        return jsonResponse(status, json.createObjectNode().put("error", code).put("message", message));
    }

    private FullHttpResponse jsonResponse(HttpResponseStatus status, JsonNode body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body.toString().getBytes(StandardCharsets.UTF_8)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return response;
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The first X-Forwarded-For address, so that one machine can play many clients; else the socket's. */
    private static String sourceIp(ChannelHandlerContext ctx, FullHttpRequest request) {
        String forwarded = request.headers().get("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim();
        }
        return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownNow();
    }
}
