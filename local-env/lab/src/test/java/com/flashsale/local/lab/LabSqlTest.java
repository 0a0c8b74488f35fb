package com.flashsale.local.lab;

import com.flashsale.local.servers.RealServers;
import com.flashsale.local.servers.RealServersExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit reads counts, sums and bytes of every SQL type the schema uses, and tells NULL from zero. */
@ExtendWith(RealServersExtension.class)
class LabSqlTest {

    @Test
    void shouldReadIntBigintNumericAndBytes_andNullAsEmpty(RealServers servers) throws Exception {
        try (Connection connection = servers.freshDatabase("labsql").connect()) {
            assertThat(LabSql.first(connection, Long.class, "SELECT 7::int4")).contains(7L);
            assertThat(LabSql.first(connection, Long.class, "SELECT count(*) FROM generate_series(1, ?)", 3)).contains(3L);
            assertThat(LabSql.first(connection, Long.class, "SELECT sum(x::bigint) FROM generate_series(1, 4) x")).contains(10L);
            assertThat(LabSql.first(connection, Double.class, "SELECT 0.5::numeric")).contains(0.5);
            assertThat(LabSql.first(connection, byte[].class, "SELECT '\\x00ff'::bytea")).hasValueSatisfying(
                    bytes -> assertThat(bytes).containsExactly(0, 255));
            assertThat(LabSql.first(connection, Long.class, "SELECT NULL::int4")).isEmpty();
            assertThat(LabSql.strings(connection, "SELECT x::text FROM generate_series(1, 3) x")).containsExactly("1", "2", "3");
        }
    }
}
