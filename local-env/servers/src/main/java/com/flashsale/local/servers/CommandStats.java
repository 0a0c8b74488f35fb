package com.flashsale.local.servers;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Redis server's {@code INFO commandstats}: calls per command since the server started. Commands a
 * script runs count as well as the EVALSHA that ran them. The difference of two snapshots is what a
 * piece of work cost that server, without MONITOR (which would slow every command down).
 *
 * @param calls  calls per command name (lower case)
 * @param micros the time the server's thread spent in each command, in microseconds
 */
public record CommandStats(Map<String, Long> calls, Map<String, Long> micros) {

    /** Bookkeeping of clients, replication and the measurement itself, not work of the sale. */
    private static final Set<String> NOT_WORK = Set.of("info", "cluster", "client", "ping", "command", "hello",
            "auth", "select", "readonly", "config", "replconf", "psync", "sync");

    /** Parses the text of {@code INFO commandstats} ({@code cmdstat_get:calls=12,usec=...}). */
    public static CommandStats parse(String info) {
        Map<String, Long> calls = new TreeMap<>();
        Map<String, Long> micros = new TreeMap<>();
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                String fields = line.substring(line.indexOf(':') + 1);
                for (String field : fields.split(",")) {
                    if (field.startsWith("calls=")) {
                        calls.put(name, Long.parseLong(field.substring("calls=".length())));
                    } else if (field.startsWith("usec=")) {
                        micros.put(name, Long.parseLong(field.substring("usec=".length())));
                    }
                }
            }
        }
        return new CommandStats(calls, micros);
    }

    /** Commands of the sale run between {@code before} and this snapshot (client bookkeeping left out). */
    public long workSince(CommandStats before) {
        return workByCommandSince(before).values().stream().mapToLong(Long::longValue).sum();
    }

    /** The commands of the sale run between {@code before} and this snapshot, by name (for a report). */
    public Map<String, Long> workByCommandSince(CommandStats before) {
        Map<String, Long> work = new TreeMap<>();
        calls.forEach((name, count) -> {
            long delta = count - before.calls().getOrDefault(name, 0L);
            if (delta != 0 && !NOT_WORK.contains(name.split("\\|")[0])) {
                work.put(name, delta);
            }
        });
        return work;
    }

    /** Calls of one command between {@code before} and this snapshot. */
    public long callsSince(CommandStats before, String command) {
        return calls.getOrDefault(command, 0L) - before.calls().getOrDefault(command, 0L);
    }
}
