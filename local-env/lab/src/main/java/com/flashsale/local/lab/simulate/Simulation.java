package com.flashsale.local.lab.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.flashsale.local.lab.Deadline;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A flash sale played against the HTTP API exactly as clients play it: an admin creates and
 * preloads a product, then simulated users log in, open the product page, wait for the start on
 * the server's clock, take a purchase token, buy, and poll their result until it is final. Some
 * retry with the same Idempotency-Key, some try twice.
 */
public final class Simulation {

    /**
     * What to simulate.
     *
     * @param arrivals how long users keep arriving after the start (zero: all at the start, a crowd)
     * @param payShare share of successful buyers who pay for their order (the rest let it expire)
     * @param bots     clients who try to get a token without solving the human check ({@link HumanCheckPlay})
     * @param difficulty the product's ALTCHA difficulty, which users solve; 0: the product asks for no human check
     * @param shards   the Redis slots the product's stock is split over
     * @param pause    when an admin pauses the sale mid-crowd and for how long ({@link PauseWatch}); null: never
     */
    public record Plan(int stock, int users, int concurrency, double retryShare, double twiceShare, Duration startDelay,
                       Duration arrivals, double payShare, int bots, int difficulty, int shards, PauseWatch.Plan pause) {

        /** A crowd at the start, nobody paying. */
        public Plan(int stock, int users, int concurrency, double retryShare, double twiceShare, Duration startDelay) {
            this(stock, users, concurrency, retryShare, twiceShare, startDelay, Duration.ZERO, 0);
        }

        /** No human check, no bots. */
        public Plan(int stock, int users, int concurrency, double retryShare, double twiceShare, Duration startDelay,
                    Duration arrivals, double payShare) {
            this(stock, users, concurrency, retryShare, twiceShare, startDelay, arrivals, payShare, 0, 0, 1, null);
        }

        /** The same sale for a product that asks for an ALTCHA proof of this difficulty, with a bot crowd. */
        public Plan withBots(int bots, int difficulty) {
            return new Plan(stock, users, concurrency, retryShare, twiceShare, startDelay, arrivals, payShare, bots, difficulty,
                    shards, pause);
        }

        /** The same sale for a product whose stock is split over {@code shards} Redis slots. */
        public Plan withShards(int shards) {
            return new Plan(stock, users, concurrency, retryShare, twiceShare, startDelay, arrivals, payShare, bots, difficulty,
                    shards, pause);
        }

        /**
         * A sale paused mid-crowd: half as many units as users, who arrive over 5 s from the start; an admin
         * pauses it 1 s after the start (a fifth of the users have come, a fifth more may still buy while
         * every warm container's card catches up) and resumes it 2 s later, when the waiting users and the
         * rest of the crowd buy what is left.
         */
        public static Plan pausedMidCrowd(int users, int concurrency) {
            return new Plan(users / 2, users, concurrency, 0.1, 0.05, Duration.ofSeconds(2))
                    .withPause(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(2));
        }

        /**
         * The same sale, users arriving over {@code arrivals}, paused by an admin {@code at} after the start for
         * {@code length}, then resumed.
         */
        public Plan withPause(Duration arrivals, Duration at, Duration length) {
            return new Plan(stock, users, concurrency, retryShare, twiceShare, startDelay, arrivals, payShare, bots, difficulty,
                    shards, new PauseWatch.Plan(at, length));
        }
    }

    /** What runs alongside a sale (a soak's faults) and how it waits for the pipeline to settle. */
    public interface Companion {

        Companion NONE = new Companion() {
        };

        default void saleOpened(String productId, Instant startsAt) {
        }

        /** A few words for the progress line. */
        default String status() {
            return "";
        }

        /** The admin's pause of the sale was answered ({@link Plan#pause()}). */
        default void paused(String productId) {
        }

        /** Every user is done; waits (bounded) until the pipeline has settled what was accepted. */
        default void buyPhaseOver(String productId, java.util.Set<String> accepted) throws InterruptedException {
        }
    }

    /** What happened: the recorder's figures and each accepted request's fate. */
    public record Outcome(Plan plan, String productId, BuyRecorder recorder, Map<String, String> acceptedByRequest,
                          Map<String, List<String>> buyAnswers, Map<String, String> finalStatus,
                          Map<String, String> replayViolations, long pendingAtEnd,
                          Duration sellOut, Duration allPersisted, Duration buyPhase, JsonNode stats,
                          HumanCheckPlay.Tally bots, PauseWatch.Seen pause) {

        /** Units the bots got: their requests that ended in SUCCESS. */
        public long botUnits() {
            return acceptedByRequest.entrySet().stream().filter(e -> HumanCheckPlay.isBot(e.getValue()))
                    .filter(e -> "SUCCESS".equals(finalStatus.get(e.getKey()))).count();
        }
    }

    /** In a sale with a pause, the share of users who wait a moment between their token and their buy. */
    private static final double HESITATING_SHARE = 0.3;

    private final SaleClient client;
    private final PrintStream out;
    private final HumanCheckPlay humanCheck;

    public Simulation(String baseUrl, int concurrency, PrintStream out) {
        this.client = new SaleClient(baseUrl, concurrency);
        this.out = out;
        this.humanCheck = new HumanCheckPlay(client);
    }

    public Outcome run(Plan plan) throws Exception {
        return run(plan, Companion.NONE);
    }

    public Outcome run(Plan plan, Companion companion) throws Exception {
        String admin = client.login("sim-admin", true);
        Instant startsAt = Instant.now().plus(plan.startDelay());
        Map<String, Object> product = new java.util.HashMap<>(Map.of(
                "name", "Simulated phone", "priceCents", 99_900, "stock", plan.stock(),
                "startsAt", startsAt.toString(), "endsAt", startsAt.plus(Duration.ofHours(1)).toString(),
                "limitPerUser", 1, "shards", plan.shards()));
        if (plan.difficulty() > 0) {
            product.put("humanCheck", "altcha");
            product.put("difficulty", plan.difficulty());
        }
        SaleClient.Reply created = client.post("/admin/products", admin, product);
        require(created, "create the product");
        String productId = created.text("productId");
        require(client.post("/admin/products/" + productId + "/preload", admin, Map.of()), "preload the product");
        out.printf("product %s: %d units over %d stock shards, sale starts %s%n", productId, plan.stock(), plan.shards(),
                startsAt);
        companion.saleOpened(productId, startsAt);

        long runStart = System.nanoTime();
        long saleStartNanos = runStart + Duration.between(Instant.now(), startsAt).toNanos();
        BuyRecorder recorder = new BuyRecorder(runStart);
        Map<String, String> acceptedByRequest = new ConcurrentHashMap<>();
        Map<String, List<String>> buyAnswers = new ConcurrentHashMap<>();
        Map<String, String> finalStatus = new ConcurrentHashMap<>();
        Map<String, String> replayViolations = new ConcurrentHashMap<>();
        AtomicInteger usersDone = new AtomicInteger();
        AtomicLong lastFinalNanos = new AtomicLong();
        PauseWatch pauses = new PauseWatch();
        Thread pauser = plan.pause() == null ? null
                : new Thread(() -> pauseAndResume(plan.pause(), admin, productId, saleStartNanos, recorder, pauses, companion),
                "pauser");
        if (pauser != null) {
            pauser.start();
        }

        ExecutorService pool = Executors.newFixedThreadPool(plan.concurrency());
        List<Future<?>> users = new ArrayList<>();
        int crowd = plan.users() + plan.bots();
        for (int j = 0, humans = 0; j < crowd; j++) {
            // the bots spread through the crowd: the later ones find proofs that users already spent
            boolean bot = (long) (j + 1) * plan.bots() / crowd > (long) j * plan.bots() / crowd;
            int i = bot ? j - humans : humans++;
            String userId = bot ? HumanCheckPlay.BOT_PREFIX + i : "sim-" + i;
            Duration arrival = plan.arrivals().multipliedBy(bot ? humans : i).dividedBy(plan.users());
            users.add(pool.submit(() -> {
                new Shopper(userId, productId, admin, arrival, plan, recorder, acceptedByRequest, buyAnswers, finalStatus,
                        replayViolations, lastFinalNanos, pauses).shop();
                usersDone.incrementAndGet();
                return null;
            }));
        }
        Progress progress = new Progress(out, crowd, usersDone::get, recorder, companion::status);
        progress.start();
        for (Future<?> user : users) {
            user.get();
        }
        progress.stop();
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        long buyPhaseEnd = System.nanoTime();
        if (pauser != null) {
            pauser.join();
        }

        companion.buyPhaseOver(productId, acceptedByRequest.keySet());
        JsonNode stats = drain(admin, productId, acceptedByRequest.size());
        askAgain(acceptedByRequest, finalStatus);
        long pending = acceptedByRequest.keySet().stream()
                .filter(id -> !isFinal(finalStatus.get(id)))
                .count();
        return new Outcome(plan, productId, recorder, acceptedByRequest, buyAnswers, finalStatus, Map.copyOf(replayViolations), pending,
                Duration.ofNanos(Math.max(0, recorder.lastAcceptedNanos() - saleStartNanos)),
                Duration.ofNanos(Math.max(0, lastFinalNanos.get() - saleStartNanos)),
                Duration.ofNanos(Math.max(1, buyPhaseEnd - Math.max(recorder.firstBuyNanos(), runStart))), stats,
                humanCheck.tally(), plan.pause() == null ? null : pauses.seen());
    }

    /**
     * The admin's part of a pause: pause at its moment of the sale, but mid-sale (not before a first buy was
     * accepted), resume after its length; each answer timed.
     */
    private void pauseAndResume(PauseWatch.Plan pause, String admin, String productId, long saleStartNanos,
                                BuyRecorder recorder, PauseWatch pauses, Companion companion) {
        try {
            // the moment is the plan's: a sleep until it, then (bounded) until the sale has sold something
            TimeUnit.NANOSECONDS.sleep(saleStartNanos + pause.at().toNanos() - System.nanoTime());
            Deadline.await(Duration.ofSeconds(30), Duration.ofMillis(10), () -> recorder.count("ACCEPTED") > 0);
            pauses.acceptedBefore(recorder.count("ACCEPTED"));
            require(client.post("/admin/products/" + productId + "/pause", admin, Map.of()), "pause the sale");
            pauses.paused(System.nanoTime());
            companion.paused(productId);
            out.printf("%nsale paused at +%d ms%n", (System.nanoTime() - saleStartNanos) / 1_000_000);
            TimeUnit.NANOSECONDS.sleep(pause.length().toNanos());
            pauses.resuming(System.nanoTime());
            require(client.post("/admin/products/" + productId + "/resume", admin, Map.of()), "resume the sale");
            pauses.resumed(System.nanoTime());
            out.printf("%nsale resumed at +%d ms%n", (System.nanoTime() - saleStartNanos) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the pipeline has settled every accepted request (bounded), then reads the stats. */
    private JsonNode drain(String admin, String productId, int accepted) throws InterruptedException {
        AtomicReference<JsonNode> stats = new AtomicReference<>();
        Deadline.await(Duration.ofSeconds(120), Duration.ofMillis(200), () -> {
            stats.set(client.get("/admin/products/" + productId + "/stats", admin).body());
            return stats.get().path("orders").asLong() + stats.get().path("failed").asLong() >= accepted;
        });
        return stats.get();
    }

    /** Users who gave up polling (a fault outlasted their patience) look once more, now that it has settled. */
    private void askAgain(Map<String, String> acceptedByRequest, Map<String, String> finalStatus) {
        acceptedByRequest.forEach((requestId, userId) -> {
            if (!isFinal(finalStatus.get(requestId))) {
                String status = client.get("/api/flash-sale/result/" + requestId, client.login(userId, false)).text("status");
                if (isFinal(status)) {
                    finalStatus.put(requestId, status);
                }
            }
        });
    }

    static boolean isFinal(String status) {
        return "SUCCESS".equals(status) || "FAILED".equals(status);
    }

    private static void require(SaleClient.Reply reply, String what) {
        if (!reply.ok()) {
            throw new IllegalStateException("cannot " + what + ": HTTP " + reply.status() + " " + reply.body());
        }
    }

    /** One simulated user. */
    private final class Shopper {
        private final String userId;
        private final String productId;
        private final String admin;
        private final Duration arrival;
        private final Plan plan;
        private final BuyRecorder recorder;
        private final Map<String, String> acceptedByRequest;
        /** Every answer this user's buy calls got, retries included: what a client was told, for the soak's cross-check. */
        private final List<String> buyAnswers;
        private final Map<String, String> finalStatus;
        private final Map<String, String> replayViolations;
        private final AtomicLong lastFinalNanos;
        private final Map<String, String> forwardedFor;
        private final PauseWatch pauses;
        /** The last attempt was refused SALE_PAUSED: the storefront says so, and the user tries again a little later. */
        private boolean refusedPaused;

        Shopper(String userId, String productId, String admin, Duration arrival, Plan plan, BuyRecorder recorder,
                Map<String, String> acceptedByRequest, Map<String, List<String>> buyAnswers, Map<String, String> finalStatus,
                Map<String, String> replayViolations, AtomicLong lastFinalNanos, PauseWatch pauses) {
            this.userId = userId;
            this.productId = productId;
            this.admin = admin;
            this.arrival = arrival;
            this.plan = plan;
            this.recorder = recorder;
            this.acceptedByRequest = acceptedByRequest;
            this.buyAnswers = buyAnswers.computeIfAbsent(userId, user -> Collections.synchronizedList(new ArrayList<>()));
            this.finalStatus = finalStatus;
            this.replayViolations = replayViolations;
            this.lastFinalNanos = lastFinalNanos;
            this.pauses = pauses;
            int n = Math.abs(userId.hashCode());
            // many clients, as API Gateway would see them; loopback addresses, never a real target
            this.forwardedFor = Map.of("X-Forwarded-For", "127." + (n >> 16 & 0xff) + "." + (n >> 8 & 0xff) + "." + (n & 0xff));
        }

        void shop() throws InterruptedException {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String jwt = client.login(userId, false);
            SaleClient.Reply page = client.call("GET", "/api/products/" + productId, null, null, forwardedFor);
            if (page.ok()) {
                long wait = Instant.parse(page.text("startsAt")).toEpochMilli() - Instant.parse(page.text("serverTime")).toEpochMilli();
                // the countdown runs on the server's clock; clients do not all click at the same millisecond
                Thread.sleep(Math.max(0, wait + arrival.toMillis()) + random.nextInt(50));
            }
            int attempts = HumanCheckPlay.isBot(userId) ? HumanCheckPlay.BotMove.values().length
                    : random.nextDouble() < plan.twiceShare() ? 2 : 1;
            long patience = System.nanoTime() + (plan.pause() == null ? 0 : plan.pause().length().plusSeconds(10).toNanos());
            for (int attempt = 0; attempt < attempts; attempt++) {
                if (!attemptPurchase(jwt, attempt, random)) {
                    return;
                }
                while (refusedPaused && System.nanoTime() < patience) {
                    // paused: a user clicks again about once a second
                    Thread.sleep(800 + random.nextInt(400));
                    if (!attemptPurchase(jwt, attempt, random)) {
                        return;
                    }
                }
            }
        }

        /** @return false when there is no point in trying again (sold out, ended) */
        private boolean attemptPurchase(String jwt, int attempt, ThreadLocalRandom random) throws InterruptedException {
            HumanCheckPlay.TokenRequest request = HumanCheckPlay.isBot(userId)
                    ? humanCheck.bot(jwt, productId, attempt, forwardedFor) : humanCheck.human(jwt, productId, forwardedFor);
            SaleClient.Reply token = whileUnanswered(() -> withRetryAfter(() -> client.call("POST", "/api/flash-sale/token",
                    jwt, request.body(), forwardedFor)));
            pauses.token(token);
            refusedPaused = token.error().equals("SALE_PAUSED");
            if (request.move() != null) {
                humanCheck.botAnswered(request, token.ok());
            } else if (token.ok()) {
                humanCheck.spent(request);
            }
            if (!token.ok()) {
                return !token.error().equals("SOLD_OUT") && !token.error().equals("SALE_ENDED");
            }
            if (plan.pause() != null && random.nextDouble() < HESITATING_SHARE) {
                // a user who reads the page before clicking buy: some hold a token across the pause
                Thread.sleep(300 + random.nextInt(900));
            }
            String key = UUID.randomUUID().toString();
            Map<String, Object> body = Map.of("productId", productId, "quantity", 1, "token", token.text("token"));
            SaleClient.Reply buy = buy(jwt, key, body);
            if (random.nextDouble() < plan.retryShare()) {
                // a client retry (a lost response, say): same key, so the same request and no stock moved
                SaleClient.Reply replay = buy(jwt, key, body);
                if (buy.status() == 202 && (replay.status() != 202 || !buy.text("requestId").equals(replay.text("requestId")))) {
                    replayViolations.put(buy.text("requestId"), replay.status() == 202 ? replay.text("requestId")
                            : replay.status() + " " + replay.body());
                    out.printf("%nreplay of %s answered %d %s%n", buy.text("requestId"), replay.status(), replay.body());
                }
            }
            if (buy.status() == 202) {
                String requestId = buy.text("requestId");
                acceptedByRequest.put(requestId, userId);
                String orderId = pollResult(jwt, requestId);
                if (orderId != null && random.nextDouble() < plan.payShare()) {
                    // the payment provider's callback; 409 when the order expired first
                    whileUnanswered(() -> client.post("/admin/orders/" + orderId + "/paid", admin, Map.of()));
                }
            }
            return !buy.error().equals("SOLD_OUT");
        }

        private SaleClient.Reply buy(String jwt, String key, Map<String, Object> body) throws InterruptedException {
            Map<String, String> headers = new java.util.HashMap<>(forwardedFor);
            headers.put("Idempotency-Key", key);
            // no answer or a 5xx leaves the outcome unknown: the same Idempotency-Key again finds out
            SaleClient.Reply reply = whileUnanswered(() -> withRetryAfter(() -> {
                SaleClient.Reply answer = client.call("POST", "/api/flash-sale/buy", jwt, body, headers);
                buyAnswers.add(answer.status() == 202 ? "202 " + answer.text("requestId") : answer.status() + " " + answer.error());
                pauses.buy(answer);
                return answer;
            }));
            recorder.record(reply.status() == 202 ? "ACCEPTED" : reply.error(), reply.latencyNanos());
            refusedPaused = reply.error().equals("SALE_PAUSED");
            return reply;
        }

        /** @return the order id once the request succeeded, null when it failed or the user gave up */
        private String pollResult(String jwt, String requestId) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                SaleClient.Reply result = client.call("GET", "/api/flash-sale/result/" + requestId, jwt, null, forwardedFor);
                String status = result.text("status");
                if (isFinal(status)) {
                    finalStatus.put(requestId, status);
                    lastFinalNanos.accumulateAndGet(System.nanoTime(), Math::max);
                    return result.text("orderId");
                }
                Thread.sleep(100 + ThreadLocalRandom.current().nextInt(100));
            }
            return null;
        }

        /** Resends a call whose outcome is unknown (no answer, or a 5xx) a few times, backing off. */
        private SaleClient.Reply whileUnanswered(Call call) throws InterruptedException {
            SaleClient.Reply reply = call.send();
            for (int retry = 0; retry < 6 && unanswered(reply); retry++) {
                Thread.sleep(250L << retry);
                reply = call.send();
            }
            return reply;
        }

        private boolean unanswered(SaleClient.Reply reply) {
            boolean unanswered = reply.status() == 0 || reply.status() >= 500;
            if (unanswered) {
                recorder.clientError(System.nanoTime());
            }
            return unanswered;
        }

        /** One HTTP call, sent again as it is. */
        @FunctionalInterface
        private interface Call {
            SaleClient.Reply send() throws InterruptedException;
        }

        /** Honours 429 Retry-After a few times, as a polite client does. */
        private SaleClient.Reply withRetryAfter(java.util.function.Supplier<SaleClient.Reply> call) throws InterruptedException {
            SaleClient.Reply reply = call.get();
            for (int retry = 0; retry < 3 && reply.status() == 429; retry++) {
                Thread.sleep(Math.max(1, reply.retryAfterSeconds()) * 1000L);
                reply = call.get();
            }
            return reply;
        }
    }
}
