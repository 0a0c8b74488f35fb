package com.flashsale.local.lab;

import com.flashsale.local.lab.bench.Bench;
import com.flashsale.local.lab.simulate.Audit;
import com.flashsale.local.lab.simulate.ChaosSoak;
import com.flashsale.local.lab.simulate.Figures;
import com.flashsale.local.lab.simulate.HtmlReport;
import com.flashsale.local.lab.simulate.PlantedDefect;
import com.flashsale.local.lab.simulate.Simulation;
import com.flashsale.local.runtime.LocalEnvironment;
import com.flashsale.local.runtime.StackOptions;
import com.flashsale.local.servers.RealServers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code ./flashsale simulate} and {@code ./flashsale bench}: sales, soaks and measurements on the local stack. */
@Command(name = "flashsale", mixinStandardHelpOptions = true, subcommands = {Lab.Simulate.class, Lab.BenchCommand.class},
        description = "Plays and measures flash sales on the local stack.")
public final class Lab {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Lab()).execute(args));
    }

    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = "Plays a whole flash sale through the HTTP API, then audits it; exit code 0 only when every audit line passes.")
    static final class Simulate implements Callable<Integer> {

        @Option(names = "--stock", defaultValue = "1000", description = "Units on sale (default ${DEFAULT-VALUE}).")
        int stock;

        @Option(names = "--users", defaultValue = "20000", description = "Simulated users (default ${DEFAULT-VALUE}).")
        int users;

        @Option(names = "--concurrency", defaultValue = "256", description = "Users active at once (default ${DEFAULT-VALUE}).")
        int concurrency;

        @Option(names = "--retry-share", defaultValue = "0.1", description = "Share of users who resend their buy with the same Idempotency-Key.")
        double retryShare;

        @Option(names = "--twice-share", defaultValue = "0.05", description = "Share of users who try to buy a second time.")
        double twiceShare;

        @Option(names = "--bots", defaultValue = "0", description = "Bots who try to get a token without solving the "
                + "human check (no proof, a wrong number, a forged challenge, a spent proof); with them the product asks for "
                + "an ALTCHA proof that users solve, and the audit counts what bots got (default ${DEFAULT-VALUE}).")
        int bots;

        @Option(names = "--difficulty", defaultValue = "1000", description = "With --bots: the product's ALTCHA "
                + "difficulty (maxnumber) the users solve (default ${DEFAULT-VALUE}).")
        int difficulty;

        @Option(names = "--report", description = "Write an HTML report (charts) to this file.")
        Path report;

        @Option(names = "--url", description = "Base URL of a running stack (./flashsale up); default: start a fresh one.")
        String url;

        @Option(names = "--chaos", description = "A soak: users arrive throughout --duration, some pay and the others' "
                + "orders expire (their units go back on sale), and faults are injected at random moments: Kafka and "
                + "PostgreSQL stopped and restarted, SCRIPT FLUSH, the product's Redis keys rolled back to an older "
                + "snapshot, two reconciliations at once, a function container crash, the order consumer crashing "
                + "after its commits (batches redelivered, shuffled and duplicated), poison records on the topic, bad "
                + "input through the gateway, and with --redis-cluster a failover (the master of the product's slot "
                + "SIGKILLed, its replica taking over). Then it drains, audits, and counts lost requests, oversold units and "
                + "users over the limit (exit code 1 unless all are 0, every bad request refused with a 4xx and every "
                + "poison record dead-lettered).")
        boolean chaos;

        @Option(names = "--duration", defaultValue = "3m", converter = Durations.class,
                description = "With --chaos: how long users keep arriving and faults fall, e.g. 90s, 5m (default ${DEFAULT-VALUE}).")
        Duration duration;

        @Option(names = "--seed", description = "With --chaos: the seed of the fault schedule, to replay one (default: random, printed).")
        Long seed;

        @Option(names = "--payment-window", defaultValue = "15s", converter = Durations.class,
                description = "With --chaos: how long an order waits for payment before it expires (default ${DEFAULT-VALUE}).")
        Duration paymentWindow;

        @Option(names = "--pay-share", defaultValue = "0.5", description = "With --chaos: share of buyers who pay (default ${DEFAULT-VALUE}).")
        double payShare;

        @Option(names = "--plant", description = "Plants a defect in the stack for the sale (\"list\" names them and the "
                + "audit line each must turn red); exit code 1 with the red lines when the audit catches it.")
        String plant;

        @Option(names = "--shards", defaultValue = "1",
                description = "The Redis slots the product's stock is split over, 1..64 (default ${DEFAULT-VALUE}).")
        int shards;

        @Option(names = "--pause-at", converter = Durations.class, description = "An admin pauses the sale this long "
                + "after its start (POST /admin/products/{id}/pause) and resumes it after --pause-for; the figures time the "
                + "refusals SALE_PAUSED of token and buy against the pause's answer, and the audit checks that nothing was "
                + "granted to a request sent more than 1 s after it and that the whole stock sold after the resume, e.g. 2s.")
        Duration pauseAt;

        @Option(names = "--pause-for", defaultValue = "3s", converter = Durations.class,
                description = "With --pause-at: how long the sale stays paused (default ${DEFAULT-VALUE}).")
        Duration pauseFor;

        @Option(names = "--arrivals", converter = Durations.class, description = "How long users keep arriving after the "
                + "start (default: all at the start; with --pause-at, twice its moment plus --pause-for; with --chaos, --duration).")
        Duration arrivals;

        @CommandLine.Mixin
        StackOptions stack;

        @Override
        public Integer call() throws Exception {
            if ("list".equals(plant)) {
                System.out.print(PlantedDefect.list());
                return 0;
            }
            PlantedDefect defect = plant == null ? null : PlantedDefect.ofCliName(plant);
            if (defect != null && (chaos || url != null)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--plant plants its defect in a fresh stack of its own, without --chaos or --url");
            }
            if (chaos && url != null) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--chaos stops and starts the servers: it runs on a fresh stack, not on --url");
            }
            RealServers servers = url == null ? RealServers.start() : null;
            LocalEnvironment environment = servers == null ? null
                    : stack.start(0, servers, chaos ? ChaosSoak.functionSettings(paymentWindow) : Map.of(), System.out);
            long chaosSeed = seed == null ? new SecureRandom().nextLong() : seed;
            try (ChaosSoak soak = chaos ? new ChaosSoak(environment, chaosSeed, duration, System.out) : null;
                 PlantedDefect.Planting planting = defect == null ? null : defect.plantIn(environment)) {
                String baseUrl = environment == null ? url : environment.baseUrl();
                Duration spread = arrivals != null ? arrivals : chaos ? duration
                        : pauseAt != null ? pauseAt.multipliedBy(2).plus(pauseFor) : Duration.ZERO;
                Simulation.Plan plan = new Simulation.Plan(stock, users, concurrency, retryShare, twiceShare,
                        Duration.ofSeconds(3), spread, chaos ? payShare : 0).withShards(shards);
                if (pauseAt != null) {
                    plan = plan.withPause(spread, pauseAt, pauseFor);
                }
                if (bots > 0) {
                    plan = plan.withBots(bots, difficulty);
                }
                if (defect != null) {
                    plan = defect.plan(plan);
                }
                Simulation.Outcome outcome = new Simulation(baseUrl, concurrency, System.out)
                        .run(plan, soak != null ? soak : planting != null ? planting.companion() : Simulation.Companion.NONE);
                Map<String, String> figures = Figures.of(outcome);
                boolean redisLostWrites = soak != null && soak.redisLostWrites();
                List<Audit.Line> audit = environment == null ? Audit.ofApi(outcome)
                        : Audit.of(outcome, environment, redisLostWrites);
                System.out.println("\nFigures");
                figures.forEach((name, value) -> System.out.printf("  %-38s %s%n", name, value));
                System.out.println("\nAudit");
                System.out.println(Audit.render(audit));
                if (report != null) {
                    HtmlReport.write(report, outcome, figures, audit);
                    System.out.println("\nreport: " + report.toAbsolutePath());
                }
                boolean clean = true;
                if (soak != null) {
                    ChaosSoak.Summary summary = soak.summarize(outcome);
                    System.out.println("\nSoak");
                    System.out.print(summary.render());
                    clean = summary.clean();
                }
                if (defect != null) {
                    System.out.printf("%nplanted %s: %s; red: %s%n", defect.cliName(),
                            Audit.red(audit).contains(defect.redLine()) ? "caught" : "NOT CAUGHT", Audit.red(audit));
                }
                return Audit.allPassed(audit) && clean ? 0 : 1;
            } finally {
                if (environment != null) {
                    environment.close();
                }
                if (servers != null) {
                    servers.close();
                }
            }
        }
    }

    /** Durations as people write them ({@code 90s}, {@code 5m}, {@code 250ms}) or ISO-8601 ({@code PT5M}). */
    static final class Durations implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String text = value.trim().toLowerCase(Locale.ROOT);
            if (text.startsWith("pt")) {
                return Duration.parse(text);
            }
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new CommandLine.TypeConversionException("not a duration: " + value + " (e.g. 90s, 5m)");
            };
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Measures, in one run on this machine, each part of the system against its physical limit; "
                    + "prints a table and writes an HTML report. Figures are reported, never judged.")
    static final class BenchCommand implements Callable<Integer> {

        @Option(names = "--quick", description = "Small sizes, for CI: well under two minutes.")
        boolean quick;

        @Option(names = "--report", description = "Write an HTML report (charts) to this file.")
        Path report;

        @Option(names = "--root", defaultValue = ".", description = "Repository root whose built Lambda jars are measured.")
        Path root;

        @Option(names = "--redis-cluster", description = "Run the functions on a Redis Cluster of 3 masters and 3 replicas "
                + "in cluster mode, as on ElastiCache; section 7 then counts the commands of the product's master alone.")
        boolean redisCluster;

        @Option(names = "--sale-users", split = ",", description = "Section 6: simulated crowds (default 1000,10000,100000; quick 200).")
        List<Integer> saleUsers;

        @Option(names = "--reconciliation-orders", split = ",",
                description = "Section 6: orders reconciled (default 10000,100000,1000000; quick 10000).")
        List<Integer> reconciliationOrders;

        @Option(names = "--first-invocations", description = "Only section 8: per API function, p50/p99/max of the first "
                + "2,000 invocations of a fresh container, cold and primed (SnapStart's checkpoint with invoke priming), "
                + "against the same container's warm p99 (quick: buy only, 200).")
        boolean firstInvocations;

        @Option(names = "--no-priming", description = "Start the stack's functions without SnapStart's checkpoint and "
                + "its invoke priming (the figures before issue 18); section 8 measures both ways regardless.")
        boolean noPriming;

        @Override
        public Integer call() throws Exception {
            var sizes = quick ? Bench.Sizes.QUICK : Bench.Sizes.FULL;
            Bench bench = new Bench(root.toAbsolutePath().normalize(), sizes.growth(saleUsers, reconciliationOrders), redisCluster)
                    .prime(!noPriming);
            if (firstInvocations) {
                bench.only("8");
            }
            bench.run(Optional.ofNullable(report));
            return 0;
        }
    }
}
