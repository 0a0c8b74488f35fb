package com.flashsale.result;

import com.flashsale.http.LambdaHarness;
import com.flashsale.http.TestServers;
import com.flashsale.local.servers.RealServers;

import java.util.Map;

/**
 * The result function in a container of the test's own (a restore, a dependency that dies, a fuzz
 * run's snapshots), over the real servers, with a fresh database and rows to read.
 */
final class ResultFixture extends ResultRows implements AutoCloseable {

    final TestServers servers;
    final LambdaHarness result;

    ResultFixture(RealServers realServers) {
        this(realServers, Map.of());
    }

    /** With {@code overrides} over the settings. */
    ResultFixture(RealServers realServers, Map<String, Object> overrides) {
        super(realServers.freshDatabase("result"));
        servers = new TestServers(realServers);
        Map<String, Object> properties = servers.redisProperties();
        properties.putAll(TestServers.databaseProperties(database));
        properties.putAll(overrides);
        result = new LambdaHarness(properties);
    }

    @Override
    public void close() {
        result.close();
        servers.close();
    }
}
