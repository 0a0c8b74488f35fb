package com.flashsale.local.lab.simulate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * A pause mid-sale, watched from the clients' side: an admin pauses the sale
 * ({@code POST /admin/products/{id}/pause}) at a moment of the crowd and resumes it a while later;
 * every token and buy answer is timed against the pause's answer. A warm container may answer from
 * its product card for up to a second ({@code flashsale.product-cache-ttl}), so nothing may be
 * granted to a request sent more than {@link #LIMIT} after the pause answered, and the sale must go
 * on after the resume. Times in {@link System#nanoTime()}; thread-safe.
 */
public final class PauseWatch {

    /** How long after the pause's answer a request may still be granted (sent by then): every warm container's card age. */
    public static final Duration LIMIT = Duration.ofSeconds(1);
    private static final long NONE = Long.MIN_VALUE;

    /** When to pause, counted from the sale's start, and for how long. */
    public record Plan(Duration at, Duration length) {
    }

    private volatile long acceptedBefore;
    private volatile long pauseAnswered = NONE;
    private volatile long resumeSent = NONE;
    private volatile long resumeAnswered = NONE;
    /** Per call (token, buy): the latest send of a granted request while paused, the first SALE_PAUSED answer. */
    private final Call token = new Call();
    private final Call buy = new Call();
    private final AtomicLong acceptedAfterResume = new AtomicLong();
    private final LongAccumulator firstAcceptedAfterResume = new LongAccumulator(Math::min, Long.MAX_VALUE);

    private static final class Call {
        final LongAccumulator lastGrantedSent = new LongAccumulator(Math::max, NONE);
        final LongAccumulator firstRefused = new LongAccumulator(Math::min, Long.MAX_VALUE);
        final AtomicLong refused = new AtomicLong();
    }

    /** Buys accepted when the pause was sent: the sale was under way. */
    void acceptedBefore(long accepted) {
        acceptedBefore = accepted;
    }

    void paused(long answeredNanos) {
        pauseAnswered = answeredNanos;
    }

    void resuming(long sentNanos) {
        resumeSent = sentNanos;
    }

    void resumed(long answeredNanos) {
        resumeAnswered = answeredNanos;
    }

    /** A token answer, now: granted or its error code. */
    void token(SaleClient.Reply reply) {
        answer(token, reply);
    }

    /** A buy answer, now: 202 or its error code. */
    void buy(SaleClient.Reply reply) {
        long now = answer(buy, reply);
        if (reply.status() == 202 && resumeAnswered != NONE && now - reply.latencyNanos() >= resumeAnswered) {
            acceptedAfterResume.incrementAndGet();
            firstAcceptedAfterResume.accumulate(now);
        }
    }

    private long answer(Call call, SaleClient.Reply reply) {
        long now = System.nanoTime();
        long sent = now - reply.latencyNanos();
        long paused = pauseAnswered;
        if (paused == NONE) {
            return now;
        }
        if ("SALE_PAUSED".equals(reply.error())) {
            call.refused.incrementAndGet();
            call.firstRefused.accumulate(now);
        } else if (reply.ok() && sent >= paused && (resumeSent == NONE || sent < resumeSent)) {
            call.lastGrantedSent.accumulate(sent);
        }
        return now;
    }

    /** What the clients saw of the pause; offsets in milliseconds from the pause's answer (resume's, after it), -1 for none. */
    public record Seen(boolean pausedAndResumed, long acceptedBefore, long tokenRefusals, long buyRefusals, long lastTokenGrantedMs,
                       long lastBuyAcceptedMs, long firstTokenRefusalMs, long firstBuyRefusalMs, long acceptedAfterResume,
                       long firstAcceptedAfterResumeMs) {

        /**
         * Paused mid-sale, refused tokens, nothing granted to a request sent more than {@link #LIMIT} after the pause
         * answered, sales after the resume.
         */
        public boolean held() {
            return pausedAndResumed && acceptedBefore > 0 && tokenRefusals > 0 && lastTokenGrantedMs <= LIMIT.toMillis()
                    && lastBuyAcceptedMs <= LIMIT.toMillis() && acceptedAfterResume > 0;
        }

        /** The figures, as the simulation prints them. */
        public Map<String, String> figures() {
            Map<String, String> figures = new LinkedHashMap<>();
            figures.put("pause: buys accepted before it", Long.toString(acceptedBefore));
            figures.put("pause: token refusals SALE_PAUSED", Long.toString(tokenRefusals));
            figures.put("pause: buy refusals SALE_PAUSED", Long.toString(buyRefusals));
            figures.put("pause: last token granted (sent after)", ms(lastTokenGrantedMs));
            figures.put("pause: last buy accepted (sent after)", ms(lastBuyAcceptedMs));
            figures.put("pause: first token SALE_PAUSED (answered)", ms(firstTokenRefusalMs));
            figures.put("pause: first buy SALE_PAUSED (answered)", ms(firstBuyRefusalMs));
            figures.put("resume: buys accepted after", Long.toString(acceptedAfterResume));
            figures.put("resume: first buy accepted (answered)", ms(firstAcceptedAfterResumeMs));
            return figures;
        }

        private static String ms(long offset) {
            return offset < 0 ? "none" : "+" + offset + " ms";
        }
    }

    public Seen seen() {
        long paused = pauseAnswered;
        long resumed = resumeAnswered;
        return new Seen(paused != NONE && resumed != NONE, acceptedBefore, token.refused.get(), buy.refused.get(),
                offset(paused, token.lastGrantedSent.get()), offset(paused, buy.lastGrantedSent.get()),
                offset(paused, token.firstRefused.get()), offset(paused, buy.firstRefused.get()),
                acceptedAfterResume.get(), offset(resumed, firstAcceptedAfterResume.get()));
    }

    private static long offset(long from, long at) {
        return from == NONE || at == NONE || at == Long.MAX_VALUE ? -1 : Math.max(0, (at - from) / 1_000_000);
    }
}
