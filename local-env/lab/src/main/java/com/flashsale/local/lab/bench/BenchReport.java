package com.flashsale.local.lab.bench;

import com.flashsale.local.lab.simulate.HtmlReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The benchmark as a self-contained HTML page: the table, then bar charts drawn by the simulator's report code. */
final class BenchReport {

    private BenchReport() {
    }

    /** @param charts title to values, each drawn as one bar chart */
    static void write(Path file, String heading, BenchTable table, Map<String, Map<String, Long>> charts) throws IOException {
        StringBuilder html = new StringBuilder("""
                <!doctype html><html><head><meta charset="utf-8"><title>Flash sale benchmark</title>
                <style>body{font:14px system-ui,sans-serif;margin:2em;color:#111}table{border-collapse:collapse}
                td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}td.v{text-align:right}
                h2{margin-top:1.6em}</style></head><body>
                """);
        html.append("<h1>Flash sale benchmark</h1><p>").append(HtmlReport.escape(heading)).append("</p>")
                .append("<table><tr><th>section</th><th>measure</th><th>value</th><th>aim</th></tr>");
        for (BenchTable.Row row : table.rows()) {
            html.append("<tr><td>").append(HtmlReport.escape(row.section())).append("</td><td>")
                    .append(HtmlReport.escape(row.measure())).append("</td><td class=\"v\">")
                    .append(HtmlReport.escape(row.value())).append("</td><td>")
                    .append(HtmlReport.escape(row.aim())).append("</td></tr>");
        }
        html.append("</table>");
        charts.forEach((title, values) -> html.append("<h2>").append(HtmlReport.escape(title)).append("</h2>")
                .append(HtmlReport.bars(values)));
        html.append("</body></html>\n");
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(file, html);
    }
}
