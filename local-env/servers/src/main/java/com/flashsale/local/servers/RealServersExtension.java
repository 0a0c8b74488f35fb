package com.flashsale.local.servers;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: one {@link RealServers} per test JVM, started on first use and stopped when the JVM's
 * tests are done. Test classes take it as a constructor, lifecycle or test method parameter; a
 * {@link RedisCluster} parameter is the Redis Cluster of those servers, started on first use.
 */
public final class RealServersExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealServersExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == RealServers.class || type == RedisCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        RealServers servers = servers(context);
        return parameter.getParameter().getType() == RedisCluster.class ? servers.redisCluster() : servers;
    }

    public static RealServers servers(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(RealServers.class, type -> {
            long started = System.nanoTime();
            RealServers servers = RealServers.start();
            System.out.printf("real servers up in %d ms: redis %s, kafka %s, postgres %s%n",
                    (System.nanoTime() - started) / 1_000_000, servers.redisUri(), servers.kafkaBootstrapServers(),
                    servers.adminDatabase().jdbcUrl());
            return servers;
        }, RealServers.class);
    }
}
