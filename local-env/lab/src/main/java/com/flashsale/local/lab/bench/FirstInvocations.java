package com.flashsale.local.lab.bench;

import com.flashsale.local.runtime.lambda.LocalFunction;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Section 8 (issue 18): the first invocations of a fresh container, cold and primed. One fresh JVM
 * per function and mode, with the Lambda runtime's flags ({@link ColdStart#JVM_FLAGS}), loads the
 * function's jar as the local runtime does; primed, it first goes through SnapStart's checkpoint and
 * restore ({@link LocalFunction#checkpointAndRestore}, the function's invoke priming included). Then
 * it answers its events one at a time, as one container does, each timed: the first {@code first},
 * then {@code warmUp} untimed, then {@code first} again: the warm figure of the same container.
 * The parent measures; {@link #main} is the child.
 */
final class FirstInvocations {

    private static final Pattern STATUS = Pattern.compile("\"statusCode\"\\s*:\\s*(\\d+)");

    /**
     * One container's invocations, in microseconds.
     *
     * @param primeMillis how long the checkpoint hooks (priming) took; -1 when cold
     * @param statuses    the answers of every invocation, by HTTP status
     */
    record Run(long[] first, long[] warm, long primeMillis, Map<Integer, Integer> statuses) {

        static long percentile(long[] sorted, double p) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
        }

        long firstP50() {
            return percentile(first, 0.50);
        }

        long firstP99() {
            return percentile(first, 0.99);
        }

        long firstMax() {
            return first[first.length - 1];
        }

        long warmP50() {
            return percentile(warm, 0.50);
        }

        long warmP99() {
            return percentile(warm, 0.99);
        }
    }

    private FirstInvocations() {
    }

    /** @param events at least {@code 2 * first + warmUp}, each sent once, in order */
    static Run measure(String name, Path jar, String handler, List<String> events, int first, int warmUp, boolean primed,
                       Properties properties, Path directory) throws IOException, InterruptedException {
        String mode = primed ? "primed" : "cold";
        Path eventFile = directory.resolve(name + "-" + mode + ".events");
        Path out = directory.resolve(name + "-" + mode + ".latencies");
        Files.write(eventFile, events);
        Process child = ColdStart.startChild(FirstInvocations.class, properties, List.of(name, jar.toString(), handler,
                eventFile.toString(), Integer.toString(first), Integer.toString(warmUp), Boolean.toString(primed), out.toString()));
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (output.length() < 20_000) {
                    output.append(line).append('\n');
                }
            }
        }
        if (!child.waitFor(10, TimeUnit.MINUTES) || child.exitValue() != 0 || !Files.isRegularFile(out)) {
            child.destroyForcibly();
            throw new IllegalStateException("first invocations of " + name + " (" + mode + ") failed:\n" + output);
        }
        List<String> result = Files.readAllLines(out);
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (String entry : result.get(1).split(",")) {
            String[] pair = entry.split("=");
            statuses.put(Integer.parseInt(pair[0]), Integer.parseInt(pair[1]));
        }
        return new Run(sorted(result.get(2)), sorted(result.get(3)), Long.parseLong(result.get(0)), statuses);
    }

    private static long[] sorted(String line) {
        long[] values = Arrays.stream(line.split(",")).mapToLong(Long::parseLong).toArray();
        Arrays.sort(values);
        return values;
    }

    /** The child: {@code <name> <jar> <handler> <event file> <first> <warm-up> <primed> <out file>}. */
    public static void main(String[] args) throws IOException {
        List<String> events = Files.readAllLines(Path.of(args[3]));
        int first = Integer.parseInt(args[4]);
        int warmUp = Integer.parseInt(args[5]);
        boolean primed = Boolean.parseBoolean(args[6]);
        LocalFunction function = LocalFunction.load(args[0], Path.of(args[1]), args[2]);
        long primeMillis = primed ? function.checkpointAndRestore() : -1;
        Map<Integer, Integer> statuses = new TreeMap<>();
        long[] firstMicros = invoke(function, events.subList(0, first), statuses);
        invoke(function, events.subList(first, first + warmUp), statuses);
        long[] warmMicros = invoke(function, events.subList(first + warmUp, 2 * first + warmUp), statuses);
        Files.write(Path.of(args[7]), List.of(Long.toString(primeMillis),
                String.join(",", statuses.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()),
                join(firstMicros), join(warmMicros)));
        System.exit(0);
    }

    /** Each event in turn, one at a time, as one container serves them; the microseconds of each. */
    private static long[] invoke(LocalFunction function, List<String> events, Map<Integer, Integer> statuses) {
        long[] micros = new long[events.size()];
        for (int i = 0; i < micros.length; i++) {
            if (i % 256 == 0 && !ColdStart.parentAlive()) {
                System.exit(1);
            }
            long started = System.nanoTime();
            String response;
            try {
                response = function.invoke(events.get(i));
            } catch (RuntimeException e) {
                response = "{\"statusCode\":0}";
            }
            micros[i] = (System.nanoTime() - started) / 1_000;
            Matcher status = STATUS.matcher(response);
            statuses.merge(status.find() ? Integer.parseInt(status.group(1)) : 0, 1, Integer::sum);
        }
        return micros;
    }

    private static String join(long[] values) {
        return String.join(",", Arrays.stream(values).mapToObj(Long::toString).toList());
    }
}
