package com.flashsale.reconciliation;

import com.flashsale.shared.db.Product;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One reconciliation run: take the lease (or do nothing), then warm up and rebuild, re-drive the
 * outbox and the requests still undecided, write back the decisions Redis lost, cancel unpaid
 * orders, audit each watched sale, and record the run with its summary. Each
 * step is idempotent; a failing step is counted and logged and the others still run.
 */
@Singleton
public class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final String INSTANCE = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicLong RUNS = new AtomicLong();

    private final Lease lease;
    private final RunLog runLog;
    private final SaleQueries sales;
    private final RedisData redis;
    private final StockAudit audit;
    private final OutboxRedrive redrive;
    private final PendingRequests pending;
    private final PaymentTimeouts payments;
    private final JsonMapper json;
    private final Duration warmUp;
    private final Duration recent;

    Reconciler(Lease lease, RunLog runLog, SaleQueries sales, RedisData redis, StockAudit audit,
               OutboxRedrive redrive, PendingRequests pending, PaymentTimeouts payments, JsonMapper json,
               ReconciliationSettings settings) {
        this.lease = lease;
        this.runLog = runLog;
        this.sales = sales;
        this.redis = redis;
        this.audit = audit;
        this.redrive = redrive;
        this.pending = pending;
        this.payments = payments;
        this.json = json;
        this.warmUp = settings.warmUp();
        this.recent = settings.auditWindow();
    }

    public RunSummary run() {
        String holder = "reconciliation-" + INSTANCE + "#" + RUNS.incrementAndGet();
        OptionalLong acquired;
        try {
            acquired = lease.acquire(holder);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot take the reconciliation lease", e);
        }
        if (acquired.isEmpty()) {
            RunSummary skipped = new RunSummary(false, null, 0, holder, Map.of("leaseBusy", 1L));
            LOG.info("reconciliation skipped, another run holds the lease: {}", skipped);
            return skipped;
        }
        long fence = acquired.getAsLong();
        Actions actions = new Actions();
        Long runId = null;
        try {
            runId = runLog.start(fence, holder);
            act(fence, runId, actions);
            RunSummary summary = new RunSummary(true, runId, fence, holder, actions.snapshot());
            runLog.finish(fence, runId, json.writeValueAsString(summary.counts()));
            LOG.info("reconciliation done: {}", summary);
            return summary;
        } catch (LeaseLostException e) {
            LOG.warn("reconciliation stopped: {}", e.getMessage());
            actions.increment("leaseLost");
            return new RunSummary(true, runId, fence, holder, actions.snapshot());
        } catch (Exception e) {
            throw new IllegalStateException("reconciliation run failed after " + actions.snapshot(), e);
        } finally {
            try {
                lease.release(fence);
            } catch (RuntimeException e) {
                LOG.warn("cannot release the lease (it expires by itself): {}", e.getMessage());
            }
        }
    }

    private void act(long fence, long runId, Actions actions) {
        List<Product> watched = sales.salesToWatch(warmUp, recent);
        actions.add(Actions.PRODUCTS, watched.size());
        redis.watch(watched);
        Instant now;
        try {
            now = redis.now();
        } catch (RuntimeException e) {
            // Redis is down: cancel unpaid orders in Postgres anyway; their Redis release is retried next runs
            actions.increment(Actions.ERRORS);
            LOG.error("Redis unavailable: warm-up, re-drive and audit skipped", e);
            step(actions, "payment timeouts", () -> payments.run(fence, actions));
            return;
        }
        for (Product sale : watched) {
            step(actions, "warm-up " + sale.id(), () -> audit.ensureLoaded(sale, fence, runId, now, actions));
        }
        for (Product sale : watched) {
            step(actions, "transfers " + sale.id(), () -> actions.add(Actions.TRANSFERS_FINISHED,
                    redis.finishTransfers(sale.id())));
            step(actions, "re-drive " + sale.id(), () -> redrive.redrive(sale, fence, now, actions));
            step(actions, "undecided " + sale.id(), () -> pending.redriveUndecided(sale, fence, now, actions));
            step(actions, "write back " + sale.id(), () -> pending.writeBackDecisions(sale, fence, actions));
        }
        step(actions, "payment timeouts", () -> payments.run(fence, actions));
        for (Product sale : watched) {
            step(actions, "audit " + sale.id(), () -> audit.audit(sale, fence, runId, actions));
        }
    }

    private static void step(Actions actions, String name, Step step) {
        try {
            step.run();
        } catch (LeaseLostException e) {
            throw e;
        } catch (Exception e) {
            actions.increment(Actions.ERRORS);
            LOG.error("reconciliation step failed: {}", name, e);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }
}
