package com.flashsale.local.lab.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * Where a phase's CPU went: the CPU time of this JVM (the gateway, every function, the MSK trigger)
 * and of every process it started (Redis, Kafka, PostgreSQL, wrk), by component, read from Linux's
 * {@code /proc}. Both JVMs are split by thread name, so that the JIT compiler shows apart from the
 * code it compiles.
 */
final class CpuUse {

    /** Linux's USER_HZ, the unit of {@code /proc}'s CPU times: 100 on every architecture Java runs on. */
    private static final double TICKS_PER_SECOND = 100;
    private static final Path PROC = Path.of("/proc");

    /** The functions' JVM's thread names (15 characters, as {@code /proc} keeps them) by component. */
    private static final List<Map.Entry<String, String>> FUNCTIONS_JVM_THREADS = List.of(
            Map.entry("gateway-worker", "gateway workers"), // the event's translation, then the function's code
            Map.entry("multiThreadIoEv", "gateway I/O"),
            Map.entry("bench-buy", "buy invocations"),
            Map.entry("lettuce-", "Lettuce I/O"), // the functions' Redis clients
            Map.entry("kafka-producer-", "Kafka producer I/O"),
            Map.entry("msk-trigger", "MSK trigger and order consumer"));

    /**
     * One CPU counter at one instant: a process's whole time (a JVM's, whose threads are counted too),
     * or one of a JVM's threads' time.
     */
    record Counter(long pid, Kind kind, String component, long ticks) {
    }

    enum Kind { PROCESS, JVM, THREAD }

    /** Every counter at one instant, by a key of its own (pid, pid/tid), and when ({@link System#nanoTime()}). */
    record Sample(Map<String, Counter> counters, long nanos) {
    }

    /** CPU seconds by component between two samples, largest first, and the wall time between them. */
    record Use(Map<String, Double> seconds, double wallSeconds) {

        double totalSeconds() {
            return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double cores() {
            return totalSeconds() / wallSeconds;
        }

        /** "0.61 ms on 1.94 cores": CPU per unit of work (an accepted buy), and how busy the machine was. */
        String perUnit(long units) {
            return String.format("%.3f ms on %.2f cores", 1000 * totalSeconds() / Math.max(1, units), cores());
        }

        /** Microseconds per unit of work by component, largest first; those under 1 µs left out. */
        Map<String, Long> microsPerUnit(long units) {
            Map<String, Long> micros = new LinkedHashMap<>();
            seconds.forEach((component, cpu) -> {
                long each = Math.round(1e6 * cpu / Math.max(1, units));
                if (each >= 1) {
                    micros.put(component, each);
                }
            });
            return micros;
        }

        /** "JIT, functions' JVM 152 µs, Kafka broker 101 µs, ...": {@link #microsPerUnit} as a line. */
        String perUnitByComponent(long units) {
            StringJoiner text = new StringJoiner(", ");
            microsPerUnit(units).forEach((component, micros) -> text.add(component + " " + micros + " µs"));
            return text.toString();
        }
    }

    private CpuUse() {
    }

    /** Empty where there is no {@code /proc} (not Linux): the bench then prints no CPU figures. */
    static Optional<Sample> sample() {
        if (!Files.isDirectory(PROC.resolve("self/task"))) {
            return Optional.empty();
        }
        Map<String, Counter> counters = new LinkedHashMap<>();
        ProcessHandle self = ProcessHandle.current();
        Stream.concat(Stream.of(self), self.descendants()).forEach(process -> add(process.pid(), self.pid(), counters));
        return Optional.of(new Sample(counters, System.nanoTime()));
    }

    /** The use since a sample, if both it and now could be sampled. */
    static Optional<Use> since(Optional<Sample> before) {
        return before.flatMap(start -> sample().map(end -> between(start, end)));
    }

    /**
     * What each counter gained; a counter new since {@code before} counts from zero (a thread or a
     * process that started in between). A JVM's time that none of its live threads accounts for is
     * that of threads that ended in between: its "ended threads" share.
     */
    static Use between(Sample before, Sample after) {
        Map<String, Long> spent = new HashMap<>();
        Map<Long, Long> unaccounted = new HashMap<>();
        after.counters().forEach((key, counter) -> {
            Counter earlier = before.counters().get(key);
            long gained = counter.ticks() - (earlier == null ? 0 : earlier.ticks());
            switch (counter.kind()) {
                case JVM -> unaccounted.merge(counter.pid(), gained, Long::sum);
                case THREAD -> {
                    unaccounted.merge(counter.pid(), -gained, Long::sum);
                    spent.merge(counter.component(), gained, Long::sum);
                }
                case PROCESS -> spent.merge(counter.component(), gained, Long::sum);
            }
        });
        after.counters().values().stream().filter(counter -> counter.kind() == Kind.JVM).forEach(jvm ->
                spent.merge(jvm.component(), Math.max(0, unaccounted.getOrDefault(jvm.pid(), 0L)), Long::sum));
        Map<String, Double> largestFirst = new LinkedHashMap<>();
        spent.entrySet().stream().filter(entry -> entry.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .forEach(entry -> largestFirst.put(entry.getKey(), entry.getValue() / TICKS_PER_SECOND));
        return new Use(largestFirst, (after.nanos() - before.nanos()) / 1e9);
    }

    private static void add(long pid, long self, Map<String, Counter> counters) {
        Optional<String> stat = read(PROC.resolve(pid + "/stat"));
        if (stat.isEmpty()) {
            return; // it ended meanwhile
        }
        String command = command(stat.get());
        String process = processName(pid, self, command);
        if (pid == self) {
            // a phase's wrk has exited by the second sample: its time is in ours, as a waited-for child's
            counters.put("children", new Counter(pid, Kind.PROCESS, "wrk (ended children)", childTicks(stat.get())));
        }
        if (pid != self && !command.equals("java")) {
            counters.put(Long.toString(pid), new Counter(pid, Kind.PROCESS, process, cpuTicks(stat.get())));
            return;
        }
        counters.put(Long.toString(pid), new Counter(pid, Kind.JVM, process + ", ended threads", cpuTicks(stat.get())));
        try (Stream<Path> tasks = Files.list(PROC.resolve(pid + "/task"))) {
            for (Path task : tasks.toList()) {
                read(task.resolve("stat")).ifPresent(thread -> counters.put(pid + "/" + task.getFileName(),
                        new Counter(pid, Kind.THREAD, component(process, command(thread)), cpuTicks(thread))));
            }
        } catch (IOException e) {
            // the process ended while listed: its total still counts
        }
    }

    /** The component a thread of one of the two JVMs belongs to, by the thread's name. */
    static String component(String process, String thread) {
        if (thread.startsWith("C1 CompilerThre") || thread.startsWith("C2 CompilerThre")) {
            return "JIT, " + process;
        }
        if (thread.startsWith("GC Thread") || thread.startsWith("VM ") || thread.startsWith("G1 ")) {
            return "GC and VM, " + process;
        }
        if (process.equals("Kafka broker")) {
            return process;
        }
        for (Map.Entry<String, String> prefix : FUNCTIONS_JVM_THREADS) {
            if (thread.startsWith(prefix.getKey())) {
                return prefix.getValue();
            }
        }
        return "other, " + process;
    }

    private static String processName(long pid, long self, String command) {
        if (pid == self) {
            return "functions' JVM";
        }
        if (command.startsWith("redis")) {
            return "Redis";
        }
        if (command.startsWith("postgres")) {
            return "PostgreSQL";
        }
        if (command.equals("wrk")) {
            return "load (wrk)";
        }
        if (command.equals("java")) {
            return read(PROC.resolve(pid + "/cmdline")).filter(line -> line.contains("kafka.Kafka")).isPresent()
                    ? "Kafka broker" : "other JVM";
        }
        return command;
    }

    /** The name between the parentheses of a {@code stat} line (it may itself hold spaces). */
    private static String command(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /** utime + stime: fields 14 and 15 of {@code stat}. */
    private static long cpuTicks(String stat) {
        return field(stat, 14) + field(stat, 15);
    }

    /** cutime + cstime: fields 16 and 17, the time of the children the process has waited for. */
    private static long childTicks(String stat) {
        return field(stat, 16) + field(stat, 17);
    }

    /** Field n (from 1, as proc(5) numbers them) of a stat line; the third is the first after the command. */
    private static long field(String stat, int n) {
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[n - 3]);
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
