package com.flashsale.shared.redis;

import com.flashsale.local.servers.RealServers;

/**
 * Every test of {@link ReleaseStockScriptTest}, the concurrent ones among them, on a Redis Cluster of
 * 3 masters and 3 replicas reached in cluster mode, as the functions reach ElastiCache.
 */
class ReleaseStockScriptOnClusterTest extends ReleaseStockScriptTest {

    ReleaseStockScriptOnClusterTest(RealServers servers) {
        super(servers);
    }

    @Override
    RedisFixture fixtureOn(RealServers servers) {
        return new RedisFixture(servers.redisCluster());
    }
}
