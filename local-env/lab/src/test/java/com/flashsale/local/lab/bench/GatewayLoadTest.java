package com.flashsale.local.lab.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayLoadTest {

    @Test
    void shouldWriteOneTabSeparatedLinePerShopper_whenPreparingWrkInput() {
        List<Shoppers.Buy> buys = List.of(new Shoppers.Buy("u0", "10.0.0.0", "{\"productId\":\"p\",\"token\":\"t0\"}"),
                new Shoppers.Buy("u1", "10.0.0.1", "{\"productId\":\"p\",\"token\":\"t1\"}"));

        String lines = GatewayLoad.lines(List.of("jwt0", "jwt1"), buys);

        assertThat(lines).isEqualTo("jwt0\t10.0.0.0\t{\"productId\":\"p\",\"token\":\"t0\"}\n"
                + "jwt1\t10.0.0.1\t{\"productId\":\"p\",\"token\":\"t1\"}\n");
    }

    @Test
    void shouldReadRatesAndPercentiles_whenWrkPrintsItsSummary() {
        GatewayLoad.Result result = GatewayLoad.result("BENCH requests=20000 duration_us=2000000 p50_us=1500 p99_us=9000 "
                + "p999_us=14000 accepted=1 refused=19990 other=9 socket_errors=2 timeouts=1");

        assertThat(result.perSecond()).isEqualTo(10_000.0);
        assertThat(result.p50()).isEqualTo(1.5);
        assertThat(result.p99()).isEqualTo(9.0);
        assertThat(result.p999()).isEqualTo(14.0);
        assertThat(result.errors(true)).isEqualTo(1 + 9 + 3);
        assertThat(result.errors(false)).isEqualTo(9 + 3);
    }

    @Test
    void shouldPrintTheSummaryLineThatResultParses_whenWrkFinishes() throws IOException {
        try (InputStream lua = GatewayLoad.class.getResourceAsStream("buy.lua")) {
            String script = new String(lua.readAllBytes(), StandardCharsets.UTF_8);

            assertThat(script).contains("\"BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d p999_us=%d accepted=%d "
                    + "refused=%d other=%d socket_errors=%d timeouts=%d\\n\"");
        }
    }

    @Test
    void shouldGiveEveryUserItsOwnAddress_whenUsersAreMany() {
        assertThat(Shoppers.sourceIp(0)).isEqualTo("10.0.0.0");
        assertThat(Shoppers.sourceIp(70_000)).isEqualTo("10.1.17.112");
    }
}
