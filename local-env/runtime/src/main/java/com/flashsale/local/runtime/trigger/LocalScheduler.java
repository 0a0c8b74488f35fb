package com.flashsale.local.runtime.trigger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flashsale.local.runtime.lambda.Invocable;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** EventBridge Scheduler on one machine: invokes a function with a {@code ScheduledEvent} at a fixed rate. */
public final class LocalScheduler implements AutoCloseable {

    private final ObjectMapper json = new ObjectMapper();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "local-scheduler");
        thread.setDaemon(true);
        return thread;
    });
    private final Invocable function;
    private final AtomicLong runs = new AtomicLong();
    private volatile String lastResult = "";

    public LocalScheduler(Invocable function, Duration rate) {
        this.function = function;
        timer.scheduleWithFixedDelay(this::fire, rate.toMillis(), rate.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Invokes the function now, as a scheduled run would, and returns its result. */
    public String fire() {
        try {
            lastResult = function.invoke(scheduledEvent(Instant.now()));
            runs.incrementAndGet();
            return lastResult;
        } catch (RuntimeException e) {
            // EventBridge Scheduler retries later; here the next tick is the retry
            System.err.println("local-scheduler: " + function.name() + " failed: " + e.getMessage());
            return null;
        }
    }

    public long runs() {
        return runs.get();
    }

    public String lastResult() {
        return lastResult;
    }

    public String scheduledEvent(Instant time) {
        ObjectNode event = json.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.scheduler");
        event.put("account", "000000000000");
        event.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", "local");
        event.putArray("resources").add("arn:aws:scheduler:local:000000000000:schedule/default/flashsale-reconciliation");
        event.putObject("detail");
        return event.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
