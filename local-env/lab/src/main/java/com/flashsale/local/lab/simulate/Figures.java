package com.flashsale.local.lab.simulate;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/** The headline numbers of a run, in the order they are printed. */
public final class Figures {

    private Figures() {
    }

    public static Map<String, String> of(Simulation.Outcome outcome) {
        Histogram latency = outcome.recorder().overall();
        double buySeconds = outcome.buyPhase().toNanos() / 1e9;
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("users", Integer.toString(outcome.plan().users()));
        figures.put("stock", Integer.toString(outcome.plan().stock()));
        figures.put("buy requests", Long.toString(outcome.recorder().total()));
        figures.put("buy requests/s", String.format("%.0f", outcome.recorder().total() / buySeconds));
        figures.put("buy latency p50", ms(latency.getValueAtPercentile(50)));
        figures.put("buy latency p95", ms(latency.getValueAtPercentile(95)));
        figures.put("buy latency p99", ms(latency.getValueAtPercentile(99)));
        figures.put("buy latency max", ms(latency.getMaxValue()));
        figures.put("time to sell out", String.format("%.2f s", outcome.sellOut().toMillis() / 1000.0));
        figures.put("time until every order is persisted", String.format("%.2f s", outcome.allPersisted().toMillis() / 1000.0));
        outcome.recorder().outcomes().forEach((name, count) -> figures.put("outcome " + name, Long.toString(count)));
        if (outcome.plan().bots() > 0) {
            figures.put("bots", Integer.toString(outcome.plan().bots()));
            figures.put("bot token attempts", Long.toString(outcome.bots().totalAttempts()));
            figures.put("bot tokens", Long.toString(outcome.bots().totalTokens()));
            figures.put("bot units", Long.toString(outcome.botUnits()));
        }
        if (outcome.pause() != null) {
            figures.putAll(outcome.pause().figures());
        }
        return figures;
    }

    private static String ms(long nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }
}
