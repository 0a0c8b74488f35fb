package com.flashsale.shared.db;

import com.flashsale.shared.lambda.InitInBackground;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Lambda starts Micronaut with every singleton eager, and this one comes first: it makes the
 * function's DataSource (the pool, and the Flyway migration where the function runs it) and opens
 * the pool's first connection on a thread of its own, while the main thread builds the rest of the
 * context, instead of one after the other on it or on the first request. A database that is down
 * is only logged here; whether the start then fails is up to the pool's and Flyway's settings, as
 * before. The DataSource bean that micronaut-data hands out gives the connection of the current
 * transaction; the resolver unwraps it to the pool.
 */
@Singleton
@Order(Ordered.HIGHEST_PRECEDENCE)
// the class check first: a function without micronaut-jdbc (token, buy) must not even load this bean
@Requires(classes = DataSourceResolver.class)
@Requires(beans = DataSource.class)
class DataSourceWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(DataSourceWarmUp.class);

    private final BeanProvider<DataSource> dataSource;
    private final DataSourceResolver resolver;

    DataSourceWarmUp(BeanProvider<DataSource> dataSource, BeanProvider<DataSourceResolver> resolver) {
        this.dataSource = dataSource;
        this.resolver = resolver.orElse(DataSourceResolver.DEFAULT);
    }

    @PostConstruct
    void start() {
        InitInBackground.start("datasource-warm-up", this::open);
    }

    private void open() {
        try (Connection ignored = resolver.resolve(dataSource.get()).getConnection()) {
            LOG.debug("first database connection open");
        } catch (SQLException | RuntimeException e) {
            LOG.warn("database not reachable at startup ({}); the first request connects", e.toString());
        }
    }
}
