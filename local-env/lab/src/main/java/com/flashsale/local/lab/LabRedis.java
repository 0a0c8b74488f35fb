package com.flashsale.local.lab;

import com.flashsale.local.runtime.LocalEnvironment;
import com.flashsale.shared.redis.ClusterTopologyRefresh;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.RedisCodec;

/**
 * The lab's one way to reach Redis directly: the Redis the functions of an environment run on,
 * the standalone server or the Redis Cluster (in cluster mode, following a failover with the
 * functions' options: {@link ClusterTopologyRefresh}).
 *
 * @param <K> keys
 * @param <V> values
 */
public final class LabRedis<K, V> implements AutoCloseable {

    private final AbstractRedisClient client;
    private final StatefulConnection<K, V> connection;
    private final RedisClusterCommands<K, V> commands;
    private final RedisClusterAsyncCommands<K, V> async;

    private LabRedis(AbstractRedisClient client, StatefulConnection<K, V> connection, RedisClusterCommands<K, V> commands,
                     RedisClusterAsyncCommands<K, V> async) {
        this.client = client;
        this.connection = connection;
        this.commands = commands;
        this.async = async;
    }

    public static <K, V> LabRedis<K, V> connect(LocalEnvironment environment, RedisCodec<K, V> codec) {
        if (environment.redisCluster().isPresent()) {
            RedisClusterClient cluster = RedisClusterClient.create(
                    environment.redisCluster().get().uris().stream().map(RedisURI::create).toList());
            cluster.setOptions(ClusterTopologyRefresh.options());
            StatefulRedisClusterConnection<K, V> opened = cluster.connect(codec);
            return new LabRedis<>(cluster, opened, opened.sync(), opened.async());
        }
        RedisClient standalone = RedisClient.create(environment.servers().redisUri());
        StatefulRedisConnection<K, V> opened = standalone.connect(codec);
        return new LabRedis<>(standalone, opened, opened.sync(), opened.async());
    }

    /** The commands; on the cluster, each goes to the node that holds its key (keyless ones: see Lettuce's routing). */
    public RedisClusterCommands<K, V> sync() {
        return commands;
    }

    /** The same, asynchronous: for pipelining many commands. */
    public RedisClusterAsyncCommands<K, V> async() {
        return async;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
