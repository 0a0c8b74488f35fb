package com.flashsale.local.lab.simulate;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** A self-contained HTML report (inline SVG, no scripts, nothing fetched): figures, audit, charts. */
public final class HtmlReport {

    private static final String[] COLOURS = {"#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#6b7280"};
    private static final int WIDTH = 760;
    private static final int HEIGHT = 260;
    private static final int PAD = 48;

    private HtmlReport() {
    }

    public static void write(Path file, Simulation.Outcome outcome, Map<String, String> figures, List<Audit.Line> audit)
            throws IOException {
        Map<Long, BuyRecorder.Second> seconds = outcome.recorder().seconds();
        List<Long> xs = new ArrayList<>(seconds.keySet());
        Map<String, double[]> latency = new LinkedHashMap<>();
        latency.put("p50 (ms)", series(xs, s -> seconds.get(s).latency.getValueAtPercentile(50) / 1e6));
        latency.put("p99 (ms)", series(xs, s -> seconds.get(s).latency.getValueAtPercentile(99) / 1e6));
        latency.put("max (ms)", series(xs, s -> seconds.get(s).latency.getMaxValue() / 1e6));
        Map<String, double[]> throughput = new LinkedHashMap<>();
        TreeSet<String> names = new TreeSet<>(outcome.recorder().outcomes().keySet());
        throughput.put("all buys/s", series(xs, s -> seconds.get(s).latency.getTotalCount()));
        for (String name : names) {
            throughput.put(name + "/s", series(xs, s -> {
                var adder = seconds.get(s).outcomes.get(name);
                return adder == null ? 0 : adder.sum();
            }));
        }

        StringBuilder html = new StringBuilder("""
                <!doctype html><html><head><meta charset="utf-8"><title>Flash sale simulation</title>
                <style>body{font:14px system-ui,sans-serif;margin:2em;color:#111}table{border-collapse:collapse}
                td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}.pass{color:#16a34a}.fail{color:#dc2626}
                h2{margin-top:1.6em}</style></head><body>
                """);
        html.append("<h1>Flash sale simulation</h1><p>").append(Instant.now()).append(" &middot; product ")
                .append(escape(outcome.productId())).append("</p><h2>Audit</h2><table>");
        for (Audit.Line line : audit) {
            html.append("<tr><td class=\"").append(line.passed() ? "pass\">PASS" : "fail\">FAIL").append("</td><td>")
                    .append(escape(line.check())).append("</td><td>").append(escape(line.detail())).append("</td></tr>");
        }
        html.append("</table><h2>Figures</h2><table>");
        figures.forEach((name, value) -> html.append("<tr><th>").append(escape(name)).append("</th><td>")
                .append(escape(value)).append("</td></tr>"));
        html.append("</table><h2>Buy latency over time</h2>").append(lineChart(xs, latency, "ms"))
                .append("<h2>Buy throughput over time</h2>").append(lineChart(xs, throughput, "requests/s"))
                .append("<h2>Outcomes</h2>").append(bars(outcome.recorder().outcomes()))
                .append("<h2>Latency distribution</h2>").append(percentiles(outcome.recorder().overall()))
                .append("</body></html>\n");
        Files.writeString(file, html);
    }

    private interface Value {
        double at(long second);
    }

    private static double[] series(List<Long> xs, Value value) {
        return xs.stream().mapToDouble(value::at).toArray();
    }

    public static String lineChart(List<Long> xs, Map<String, double[]> series, String unit) {
        double max = series.values().stream().flatMapToDouble(java.util.Arrays::stream).max().orElse(1);
        max = max <= 0 ? 1 : max * 1.1;
        long first = xs.isEmpty() ? 0 : xs.get(0);
        long last = xs.isEmpty() ? 1 : Math.max(xs.get(xs.size() - 1), first + 1);
        StringBuilder svg = frame(unit, max, "s since start", first, last);
        int colour = 0;
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < xs.size(); i++) {
                points.append(String.format("%.1f,%.1f ", x(xs.get(i), first, last), y(entry.getValue()[i], max)));
            }
            String c = COLOURS[colour % COLOURS.length];
            svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(c).append("\" points=\"")
                    .append(points).append("\"/>");
            svg.append(String.format("<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>", PAD + 10 + colour * 150, 16, c,
                    escape(entry.getKey())));
            colour++;
        }
        return svg.append("</svg>").toString();
    }

    private static StringBuilder frame(String unit, double max, String xLabel, long first, long last) {
        StringBuilder svg = new StringBuilder(String.format(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"11\">", WIDTH, HEIGHT));
        svg.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", PAD, HEIGHT - PAD, WIDTH - 10, HEIGHT - PAD));
        svg.append(String.format("<line x1=\"%d\" y1=\"24\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", PAD, PAD, HEIGHT - PAD));
        for (int tick = 0; tick <= 4; tick++) {
            double value = max * tick / 4;
            svg.append(String.format("<text x=\"4\" y=\"%.1f\">%s</text>", y(value, max) + 4, compact(value)));
        }
        svg.append(String.format("<text x=\"4\" y=\"%d\">%s</text>", 12, escape(unit)));
        svg.append(String.format("<text x=\"%d\" y=\"%d\">%d</text><text x=\"%d\" y=\"%d\">%d %s</text>",
                PAD, HEIGHT - PAD + 16, first, WIDTH - 110, HEIGHT - PAD + 16, last, escape(xLabel)));
        return svg;
    }

    public static String bars(Map<String, Long> counts) {
        long max = Math.max(1, counts.values().stream().mapToLong(Long::longValue).max().orElse(1));
        int row = 26;
        StringBuilder svg = new StringBuilder(String.format(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"12\">", WIDTH, row * counts.size() + 10));
        int i = 0;
        for (Map.Entry<String, Long> entry : counts.entrySet()) {
            double width = (WIDTH - 260) * (double) entry.getValue() / max;
            svg.append(String.format("<text x=\"0\" y=\"%d\">%s</text><rect x=\"170\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>"
                            + "<text x=\"%.1f\" y=\"%d\">%d</text>", i * row + 18, escape(entry.getKey()), i * row + 4, width,
                    COLOURS[i % COLOURS.length], 176 + width, i * row + 18, entry.getValue()));
            i++;
        }
        return svg.append("</svg>").toString();
    }

    private static String percentiles(Histogram histogram) {
        StringBuilder table = new StringBuilder("<table><tr><th>percentile</th><th>ms</th></tr>");
        for (double p : new double[] {50, 90, 95, 99, 99.9, 100}) {
            table.append(String.format("<tr><td>%s</td><td>%.2f</td></tr>", p, histogram.getValueAtPercentile(p) / 1e6));
        }
        return table.append("</table>").toString();
    }

    private static double x(long second, long first, long last) {
        return PAD + (WIDTH - PAD - 10) * (double) (second - first) / (last - first);
    }

    private static double y(double value, double max) {
        return HEIGHT - PAD - (HEIGHT - PAD - 24) * value / max;
    }

    private static String compact(double value) {
        return value >= 1000 ? String.format("%.1fk", value / 1000) : String.format("%.1f", value);
    }

    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
