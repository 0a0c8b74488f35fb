package com.flashsale.local.lab.bench;

import com.flashsale.local.runtime.lambda.LocalFunction;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Section 5: one function in a fresh JVM of its own, as a Lambda cold start: the time from starting
 * the JVM to the first answered event, then the resident memory after a number of further events.
 * The parent measures; {@link #main} is the child.
 */
final class ColdStart {

    /** JVM flags of the child: those of the Lambda Java runtime (C1 only) plus the serial collector. */
    static final List<String> JVM_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xmx512m", "-Xshare:auto");

    /** Fresh JVMs per function; the median of their first answers is reported (the machine is shared). */
    static final int ROUNDS = 3;

    /** Longest the child spends on the requests after the first: RSS is read after this many seconds at the latest. */
    static final int MAX_REQUEST_SECONDS = 30;

    /** Milliseconds from process start to the first answer; RSS in MiB after {@code requests} events. */
    record Result(long firstAnswerMillis, long handlerMillis, double rssMiB, int requests) {
    }

    private ColdStart() {
    }

    /**
     * @param events     one event JSON per line, sent in turn
     * @param properties the functions' configuration, passed to the child as system properties
     */
    static Result measure(String name, Path jar, String handler, List<String> events, int requests, Properties properties,
                          Path directory) throws IOException, InterruptedException {
        Path eventFile = directory.resolve(name + ".events");
        Files.write(eventFile, events);
        long started = System.nanoTime();
        Process child = startChild(ColdStart.class, properties,
                List.of(name, jar.toString(), handler, eventFile.toString(), Integer.toString(requests)));
        long first = -1;
        long handler0 = -1;
        double rss = -1;
        int served = 0;
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("COLDSTART FIRST ")) {
                    first = (System.nanoTime() - started) / 1_000_000;
                    handler0 = Long.parseLong(line.substring("COLDSTART FIRST ".length()).trim());
                    Ticker.say(String.format("  %s answered its first event after %d ms; %d more ...", name, first, requests));
                } else if (line.startsWith("COLDSTART RSS ")) {
                    String[] values = line.substring("COLDSTART RSS ".length()).trim().split(" ");
                    rss = Long.parseLong(values[0]) / 1024.0;
                    served = Integer.parseInt(values[1]);
                } else if (output.length() < 20_000) {
                    output.append(line).append('\n');
                }
            }
        }
        if (!child.waitFor(5, TimeUnit.MINUTES) || first < 0 || rss < 0) {
            child.destroyForcibly();
            throw new IllegalStateException("cold start of " + name + " failed:\n" + output);
        }
        return new Result(first, handler0, rss, served);
    }

    /**
     * A fresh JVM with the Lambda runtime's flags ({@link #JVM_FLAGS}) and the functions' settings as
     * system properties, running {@code main} of this classpath with {@code args}; its output and
     * errors on one stream.
     */
    static Process startChild(Class<?> main, Properties properties, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        properties.stringPropertyNames().forEach(key -> command.add("-D" + key + "=" + properties.getProperty(key)));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Whether the parent (the bench) still runs: a benchmark stopped half-way must not leave its child running. */
    static boolean parentAlive() {
        return ProcessHandle.current().parent().map(ProcessHandle::isAlive).orElse(true);
    }

    static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** The child: {@code <name> <jar> <handler> <event file> <requests>}. */
    public static void main(String[] args) throws IOException {
        List<String> events = Files.readAllLines(Path.of(args[3]));
        int requests = Integer.parseInt(args[4]);
        long started = System.nanoTime();
        LocalFunction function = LocalFunction.load(args[0], Path.of(args[1]), args[2]);
        function.invoke(events.get(0));
        System.out.println("COLDSTART FIRST " + (System.nanoTime() - started) / 1_000_000);
        System.out.flush();
        long deadline = System.nanoTime() + MAX_REQUEST_SECONDS * 1_000_000_000L;
        int served = 0;
        for (int i = 1; i <= requests && System.nanoTime() < deadline && (i % 256 != 0 || parentAlive());
             i++, served++) {
            try {
                function.invoke(events.get(i % events.size()));
            } catch (RuntimeException e) {
                // a refused or failed event is still an answered request here
            }
        }
        System.out.println("COLDSTART RSS " + rssKiB() + " " + served);
        System.out.flush();
        System.exit(0);
    }

    private static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
