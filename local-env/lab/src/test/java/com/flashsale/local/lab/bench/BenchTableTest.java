package com.flashsale.local.lab.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BenchTableTest {

    @Test
    void shouldAlignColumns_whenRowsHaveDifferentWidths() {
        BenchTable table = new BenchTable();
        table.add("1 limit", "admission script", BenchTable.perSecond(123_456.4), "");
        table.add("2 buy in-process", "p50 / p99", BenchTable.millis(0.5) + " / " + BenchTable.millis(12.345), ">= 0.5");

        String[] lines = table.text().split("\n");

        assertThat(lines).hasSize(3);
        assertThat(lines[1]).startsWith("1 limit           admission script");
        assertThat(lines[1]).contains("123,456/s");
        assertThat(lines[2]).contains("0.50 ms / 12.35 ms").endsWith(">= 0.5");
        assertThat(lines[1].indexOf("123,456/s") + "123,456/s".length())
                .isEqualTo(lines[2].indexOf("12.35 ms") + "12.35 ms".length());
    }

    @Test
    void shouldEscapePipes_whenWritingMarkdown() {
        BenchTable table = new BenchTable();
        table.add("3 gateway", "a | b", "1", "0");

        assertThat(table.markdown()).isEqualTo("| section | measure | value | aim |\n|---|---|---:|---|\n"
                + "| 3 gateway | a \\| b | 1 | 0 |\n");
    }
}
