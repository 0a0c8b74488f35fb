package com.flashsale.orderconsumer;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

/**
 * A test class on one consumer context that micronaut-test builds, pointed at the real servers and a
 * fresh, migrated database of the class. Not transactional: the consumer commits its own
 * transactions, and the fixture reads them back on a connection of its own.
 */
@MicronautTest(transactional = false)
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OnTheConsumerContext implements TestPropertyProvider {

    final RealServers servers;
    private final RealServers.Database database;
    @Inject
    ApplicationContext context;
    ConsumerFixture fixture;

    OnTheConsumerContext(RealServers servers) {
        this.servers = servers;
        this.database = ConsumerFixture.migrated(servers.freshDatabase("consumer"));
    }

    @Override
    public Map<String, String> getProperties() {
        return ConsumerFixture.properties(servers, database);
    }

    @BeforeAll
    void openFixture() {
        fixture = new ConsumerFixture(servers, database, context);
    }
}
