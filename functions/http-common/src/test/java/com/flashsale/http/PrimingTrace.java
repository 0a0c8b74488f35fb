package com.flashsale.http;

import com.flashsale.local.servers.CommandStats;
import com.flashsale.local.servers.RealServers;
import io.micronaut.context.ApplicationContext;
import io.micronaut.crac.test.CheckpointSimulator;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the real servers show of a function's SnapStart checkpoint, its invoke priming ({@link Priming})
 * included, to prove it leaves no trace: the Redis commands that ran meanwhile and can write (those of
 * scripts included, as {@code INFO commandstats} counts them), the number of Redis keys, and the rows
 * of every table of a database.
 *
 * @param redisWrites the commands that can write and ran during the checkpoint, by name
 * @param keysBefore  Redis keys before; {@code keysAfter} right after the checkpoint hooks
 * @param rowsBefore  rows per table before (empty without a database); {@code rowsAfter} after
 * @param keysLeft    keys of priming (its sale's, its throwaway rate-limit buckets) still there after
 */
public record PrimingTrace(Map<String, Long> redisWrites, long keysBefore, long keysAfter, Map<String, Long> rowsBefore,
                           Map<String, Long> rowsAfter, List<String> keysLeft) {

    /** Priming rounds a test runs: enough to go through every path, few enough to be quick. */
    public static final int ROUNDS = 20;
    /** The rounds, and no settling passes after them: a test counts the answers of each round. */
    public static final Map<String, Object> SETTINGS = Map.of("flashsale.priming.rounds", ROUNDS, "flashsale.priming.settle-passes", 0);

    /** Commands that only read (or are a connection's bookkeeping); any other one that ran is a write. */
    private static final Set<String> READS = Set.of("get", "mget", "hget", "hmget", "hgetall", "hexists", "hlen",
            "exists", "time", "smembers", "sismember", "scard", "ttl", "pttl", "type", "scan", "hscan", "keys",
            "xlen", "xrange", "xrevrange", "strlen", "dbsize", "evalsha", "eval", "evalsha_ro", "eval_ro", "script",
            "info", "cluster", "client", "ping", "command", "hello", "auth", "select", "readonly", "config", "echo");

    /**
     * Runs the context's checkpoint hooks (micronaut-crac's simulator, in SnapStart's order) and records
     * what they left in Redis and, unless {@code database} is null, in the database; then its restore hooks.
     */
    public static PrimingTrace ofCheckpoint(ApplicationContext context, TestServers servers, RealServers.Database database) {
        CheckpointSimulator simulator = context.getBean(CheckpointSimulator.class);
        CommandStats commands = commandStats(servers);
        long keys = servers.redis().dbsize();
        Map<String, Long> rows = rows(database);

        simulator.runBeforeCheckpoint();
        Map<String, Long> writes = new TreeMap<>(commandStats(servers).workByCommandSince(commands));
        writes.keySet().removeIf(command -> READS.contains(command.split("\\|")[0]));
        PrimingTrace trace = new PrimingTrace(writes, keys, servers.redis().dbsize(), rows, rows(database),
                servers.redis().keys("*__priming*"));
        simulator.runAfterRestore();
        return trace;
    }

    private static CommandStats commandStats(TestServers servers) {
        return CommandStats.parse(servers.redis().info("commandstats"));
    }

    /** Rows per table of the database's public schema. */
    private static Map<String, Long> rows(RealServers.Database database) {
        Map<String, Long> counts = new TreeMap<>();
        if (database == null) {
            return counts;
        }
        String tables = TestServers.queryOne(database,
                "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'");
        for (String table : tables.split(",")) {
            counts.put(table, Long.parseLong(TestServers.queryOne(database, "SELECT count(*) FROM \"" + table + "\"")));
        }
        return counts;
    }
}
