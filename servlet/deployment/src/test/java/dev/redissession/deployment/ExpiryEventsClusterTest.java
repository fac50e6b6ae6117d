package dev.redissession.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.expiry.ExpirySweeper;
import dev.redissession.runtime.store.RedisClock;
import dev.redissession.runtime.store.RedisSessionStore;
import dev.redissession.runtime.store.SessionRedis;
import dev.redissession.testing.RedisCluster;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Expiry events on a local 3-master cluster, as {@link ExpiryScenario} describes: one expiry index per slot, each
 * swept on its master, and no keyspace notifications on any node.
 */
class ExpiryEventsClusterTest {

    static final RedisCluster CLUSTER = TestRedis.cluster();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.with(TestApps.on(CLUSTER, SessionServlet.class, Sessions.class,
            ExpiryScenario.class, ExpiryScenario.Heard.class, ExpiryScenario.Destroyed.class,
            ExpiryScenario.OtherReplica.class)
            .overrideConfigKey("quarkus.redis-session.tenant.default", ExpiryScenario.TENANT)
            .overrideConfigKey("quarkus.redis-session.idle-timeout", "1S")
            .overrideConfigKey("quarkus.redis-session.expiry-sweep-interval", "200MS"), TestApps.PROMETHEUS);

    @Inject
    RedisSessionStore store;
    @Inject
    RedisSessionConfig config;
    @Inject
    SessionRedis redis;
    @Inject
    RedisClock clock;

    @Test
    void nSessionsExpireOnceAcrossTwoReplicas() throws Exception {
        for (RedisServer node : CLUSTER.masters()) {
            assertEquals("", node.cli("CONFIG", "GET", "notify-keyspace-events").lines().skip(1).findFirst()
                    .orElse(""), "no keyspace notifications on " + node);
        }
        ExpiryScenario.nSessionsExpireOnceAcrossTwoReplicas(
                (ends, metrics) -> new ExpirySweeper(store, config, redis, clock, ends, metrics),
                () -> CLUSTER.masters().stream().flatMap(node -> ExpiryScenario.indexedOfTenant(node).stream())
                        .toList(),
                ExpiryScenario::expiredMetric);
    }

}
