package com.flashsale.shared.secrets;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local stand-in for Secrets Manager that the AWS SDK is pointed at (its endpoint override, set
 * here as system properties with a region and test credentials): GetSecretValue of the AWS JSON
 * protocol answers the current value whatever the request names, and counts the reads.
 */
final class SecretsManagerStandIn implements AutoCloseable {

    private final String arn;
    private final AtomicReference<String> secret;
    private final AtomicInteger reads = new AtomicInteger();
    private final HttpServer server;
    private final Map<String, String> aws;

    SecretsManagerStandIn(String arn, String initialValue) throws IOException {
        this.arn = arn;
        this.secret = new AtomicReference<>(initialValue);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int read = reads.incrementAndGet();
            String value = secret.get().replace("\\", "\\\\").replace("\"", "\\\"");
            String name = arn.substring(arn.lastIndexOf(':') + 1);
            byte[] body = ("{\"ARN\":\"" + arn + "\",\"Name\":\"" + name + "\",\"VersionId\":\"v" + read
                    + "\",\"SecretString\":\"" + value + "\",\"VersionStages\":[\"AWSCURRENT\"]}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        this.aws = Map.of("aws.region", "eu-west-1", "aws.accessKeyId", "test", "aws.secretAccessKey", "test",
                "aws.endpointUrlSecretsManager", "http://127.0.0.1:" + server.getAddress().getPort());
        aws.forEach(System::setProperty);
    }

    String arn() {
        return arn;
    }

    /** The secret's new current version (what a rotation's last step does). */
    void set(String value) {
        secret.set(value);
    }

    int reads() {
        return reads.get();
    }

    @Override
    public void close() {
        server.stop(0);
        aws.keySet().forEach(System::clearProperty);
    }
}
