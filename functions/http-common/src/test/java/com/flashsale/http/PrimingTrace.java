package com.flashsale.http;

import com.flashsale.local.servers.CommandStats;
import com.flashsale.local.servers.RealServers;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the real servers show of a piece of work, to prove invoke priming ({@link Priming}) leaves no
 * trace: the Redis commands that ran in between that can write (those of scripts included, as
 * {@code INFO commandstats} counts them), the number of Redis keys, and optionally the rows of every
 * table of a database.
 */
public final class PrimingTrace {

    /** Commands that only read (or are a connection's bookkeeping); any other one that ran is a write. */
    private static final Set<String> READS = Set.of("get", "mget", "hget", "hmget", "hgetall", "hexists", "hlen",
            "exists", "time", "smembers", "sismember", "scard", "ttl", "pttl", "type", "scan", "hscan", "keys",
            "xlen", "xrange", "xrevrange", "strlen", "dbsize", "evalsha", "eval", "evalsha_ro", "eval_ro", "script",
            "info", "cluster", "client", "ping", "command", "hello", "auth", "select", "readonly", "config", "echo");

    private final TestServers servers;
    private final RealServers.Database database;
    private final CommandStats commands;
    private final long keys;
    private final Map<String, Long> rows;

    private PrimingTrace(TestServers servers, RealServers.Database database) {
        this.servers = servers;
        this.database = database;
        this.commands = CommandStats.parse(servers.redis().info("commandstats"));
        this.keys = servers.redis().dbsize();
        this.rows = database == null ? Map.of() : rows(database);
    }

    /** Redis as it is now. */
    public static PrimingTrace redis(TestServers servers) {
        return new PrimingTrace(servers, null);
    }

    /** Redis and every table of {@code database} as they are now. */
    public static PrimingTrace redisAndDatabase(TestServers servers, RealServers.Database database) {
        return new PrimingTrace(servers, database);
    }

    /** The Redis commands that can write and ran since this snapshot, by name. */
    public Map<String, Long> redisWritesSince() {
        Map<String, Long> writes = new TreeMap<>(
                CommandStats.parse(servers.redis().info("commandstats")).workByCommandSince(commands));
        writes.keySet().removeIf(command -> READS.contains(command.split("\\|")[0]));
        return writes;
    }

    public long keysBefore() {
        return keys;
    }

    public long keysNow() {
        return servers.redis().dbsize();
    }

    public Map<String, Long> rowsBefore() {
        return rows;
    }

    public Map<String, Long> rowsNow() {
        return rows(database);
    }

    /** Rows per table of the database's public schema. */
    private static Map<String, Long> rows(RealServers.Database database) {
        Map<String, Long> counts = new TreeMap<>();
        String tables = TestServers.queryOne(database,
                "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'");
        for (String table : tables.split(",")) {
            counts.put(table, Long.parseLong(TestServers.queryOne(database, "SELECT count(*) FROM \"" + table + "\"")));
        }
        return counts;
    }
}
