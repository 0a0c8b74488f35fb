package com.flashsale.migrate;

import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The deploy-time step: Terraform invokes this function once per apply (whenever its jar changes),
 * and the local runtime once at {@code up}, before the other functions start. It migrates the schema
 * with Flyway as the schema's owner (the master user); the other functions log in as roles that may
 * only read and write rows ({@code V7__roles.sql}), so no function migrates at its cold start. A
 * failed migration fails the invocation, and with it the apply.
 */
public class MigrateHandler extends MicronautRequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final Logger LOG = LoggerFactory.getLogger(MigrateHandler.class);

    @Inject
    DataSource dataSource;

    public MigrateHandler() {
    }

    public MigrateHandler(ApplicationContext context) {
        super(context);
    }

    /** @return the schema version after the run and how many migrations it applied */
    @Override
    public Map<String, Object> execute(Map<String, Object> ignoredEvent) {
        // the function's own class loader: the migrations are in its jar, also where the local
        // runtime loads it in a class loader of its own
        Flyway flyway = Flyway.configure(MigrateHandler.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load();
        MigrateResult result = flyway.migrate();
        String version = flyway.info().current().getVersion().getVersion();
        LOG.info("schema at version {}, {} migrations applied", version, result.migrationsExecuted);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("schemaVersion", version);
        summary.put("migrationsExecuted", result.migrationsExecuted);
        return summary;
    }
}
