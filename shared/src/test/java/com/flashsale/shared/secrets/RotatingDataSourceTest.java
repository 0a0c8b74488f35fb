package com.flashsale.shared.secrets;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool whose data source is replaced by {@link RotatingDataSource} (a database secret or IAM
 * auth: every Lambda) no longer hands its {@code data-source-properties} to the driver itself.
 */
@ExtendWith(RealServersExtension.class)
class RotatingDataSourceTest {

    @Test
    void shouldHandTheDriverSettingsToEveryConnection_whenItOpensOneWithThePasswordOfTheMoment(RealServers servers)
            throws Exception {
        RealServers.Database database = servers.freshDatabase("rotating");
        Properties driverSettings = new Properties();
        driverSettings.setProperty("prepareThreshold", "0");
        driverSettings.setProperty("defaultRowFetchSize", "5000");
        DatabasePassword password = new DatabasePassword() {
            @Override
            public String current() {
                return database.password();
            }

            @Override
            public String refreshed() {
                return database.password();
            }
        };

        try (Connection connection = new RotatingDataSource(database.jdbcUrl(), database.user(), password, driverSettings)
                .getConnection()) {
            PGConnection postgres = connection.unwrap(PGConnection.class);
            assertThat(postgres.getPrepareThreshold()).isZero();
            assertThat(postgres.getDefaultFetchSize()).isEqualTo(5000);
        }
    }
}
