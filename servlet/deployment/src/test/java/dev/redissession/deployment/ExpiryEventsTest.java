package dev.redissession.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.expiry.ExpirySweeper;
import dev.redissession.runtime.metrics.SessionMetrics;
import dev.redissession.runtime.session.SessionEnds;
import dev.redissession.runtime.store.RedisClock;
import dev.redissession.runtime.store.RedisSessionStore;
import dev.redissession.runtime.store.SessionRedis;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Expiry events on a standalone server without keyspace notifications ({@code notify-keyspace-events} empty), as
 * {@link ExpiryScenario} describes.
 */
class ExpiryEventsTest {

    static final RedisServer REDIS = TestRedis.standalone();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.with(TestApps.on(REDIS, SessionServlet.class, Sessions.class,
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
    @Inject
    SessionEnds ends;
    @Inject
    SessionMetrics metrics;

    @Test
    void nSessionsExpireOnceAcrossTwoReplicas() throws Exception {
        assertEquals("", REDIS.cli("CONFIG", "GET", "notify-keyspace-events").lines().skip(1).findFirst().orElse(""),
                "no keyspace notifications");
        ExpiryScenario.nSessionsExpireOnceAcrossTwoReplicas(
                (ends, metrics) -> new ExpirySweeper(store, config, redis, clock, ends, metrics),
                () -> ExpiryScenario.indexedOfTenant(REDIS),
                ExpiryScenario::expiredMetric);
    }

    /**
     * Two more replicas that try to sweep every 5 ms for a second, beside the app's sweeper (every 200 ms): one pass per
     * interval reaches Redis (one sweep script call each on a standalone server), not one per replica and attempt.
     */
    @Test
    void replicasTakeTurnsSoRedisSeesOnePassPerInterval() throws Exception {
        List<ExpirySweeper> replicas = List.of(new ExpirySweeper(store, config, redis, clock, ends, metrics),
                new ExpirySweeper(store, config, redis, clock, ends, metrics));
        REDIS.resetStats();
        long end = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        List<Thread> threads = replicas.stream().map(replica -> new Thread(() -> {
            while (System.nanoTime() - end < 0) {
                replica.pass();
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
        })).toList();
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        long passes = REDIS.commandCalls("evalsha") + REDIS.commandCalls("eval");
        // 1 s / 200 ms turns: about 5 (plus one at each end); without turns about 2 x 200 plus the app's 5.
        assertTrue(passes >= 2 && passes <= 10, "sweep passes reaching Redis in one second: " + passes);
    }
}
