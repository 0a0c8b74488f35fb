package com.flashsale.local.servers;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for Secrets Manager that the AWS SDK is pointed at (its endpoint override, set
 * here as system properties with a region and test credentials, for the whole JVM: the functions
 * the local runtime loads read them too): GetSecretValue of the AWS JSON protocol answers the
 * current value of the secret the request names (the first secret when it names none it holds),
 * and counts the reads, per secret.
 */
public final class SecretsManagerStandIn implements AutoCloseable {

    private static final Pattern SECRET_ID = Pattern.compile("\"SecretId\"\\s*:\\s*\"([^\"]*)\"");

    private final String firstArn;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final Map<String, String> aws;

    public SecretsManagerStandIn(String arn, String initialValue) throws IOException {
        this.firstArn = arn;
        put(arn, initialValue);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Matcher id = SECRET_ID.matcher(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String named = id.find() ? id.group(1) : firstArn;
            String secretArn = secrets.containsKey(named) ? named : firstArn;
            int read = reads.get(secretArn).incrementAndGet();
            String value = secrets.get(secretArn).replace("\\", "\\\\").replace("\"", "\\\"");
            String name = secretArn.substring(secretArn.lastIndexOf(':') + 1);
            byte[] body = ("{\"ARN\":\"" + secretArn + "\",\"Name\":\"" + name + "\",\"VersionId\":\"v" + read
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

    public String arn() {
        return firstArn;
    }

    /** Another secret, or a secret's new current version (what a rotation's last step does). */
    public void put(String arn, String value) {
        reads.computeIfAbsent(arn, ignored -> new AtomicInteger());
        secrets.put(arn, value);
    }

    /** The first secret's new current version. */
    public void set(String value) {
        put(firstArn, value);
    }

    /** Reads of every secret. */
    public int reads() {
        return reads.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Reads of one secret. */
    public int reads(String arn) {
        AtomicInteger count = reads.get(arn);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        server.stop(0);
        aws.keySet().forEach(System::clearProperty);
    }
}
