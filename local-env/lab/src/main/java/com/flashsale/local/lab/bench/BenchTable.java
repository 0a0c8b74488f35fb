package com.flashsale.local.lab.bench;

import java.util.ArrayList;
import java.util.List;

/** The benchmark's figures: one row per measure, printed as aligned text and as Markdown. */
final class BenchTable {

    /** One figure: which section, what was measured, the value, and the aim for it ("" when none). */
    record Row(String section, String measure, String value, String aim) {
    }

    private final List<Row> rows = new ArrayList<>();

    void add(String section, String measure, String value, String aim) {
        rows.add(new Row(section, measure, value, aim));
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    String text() {
        int[] widths = {"section".length(), "measure".length(), "value".length()};
        for (Row row : rows) {
            widths[0] = Math.max(widths[0], row.section().length());
            widths[1] = Math.max(widths[1], row.measure().length());
            widths[2] = Math.max(widths[2], row.value().length());
        }
        String format = "%-" + widths[0] + "s  %-" + widths[1] + "s  %" + widths[2] + "s  %s%n";
        StringBuilder text = new StringBuilder(String.format(format, "section", "measure", "value", "aim"));
        for (Row row : rows) {
            text.append(String.format(format, row.section(), row.measure(), row.value(), row.aim()));
        }
        return text.toString();
    }

    String markdown() {
        StringBuilder md = new StringBuilder("| section | measure | value | aim |\n|---|---|---:|---|\n");
        for (Row row : rows) {
            md.append("| ").append(cell(row.section())).append(" | ").append(cell(row.measure())).append(" | ")
                    .append(cell(row.value())).append(" | ").append(cell(row.aim())).append(" |\n");
        }
        return md.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    static String perSecond(double value) {
        return String.format("%,.0f/s", value);
    }

    static String millis(double value) {
        return String.format("%.2f ms", value);
    }
}
