package dev.redissession.deployment.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.PurgeAlreadyRunningException;
import dev.redissession.PurgeJob;
import dev.redissession.PurgeState;
import dev.redissession.TenantPurge;
import dev.redissession.deployment.TestApps;
import dev.redissession.runtime.keys.SessionIds;
import dev.redissession.runtime.store.SessionRedis;
import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisCluster;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * A cluster master (3 masters, 3 replicas, {@code cluster-node-timeout 2000}) killed while a tenant purge runs: the
 * job either completes with every key of the tenant gone, or ends {@code failed} with the reason; run again once the
 * replica took over, it completes and no key of the tenant is left on any master. Never {@code completed} with keys
 * left behind.
 */
class PurgeFailoverTest {

    static final RedisCluster CLUSTER = TestRedis.dedicatedCluster("purge-failover-test", 1,
            "--cluster-node-timeout", "2000");
    static final String PREFIX = "purge-fo:";
    static final int KEYS = 3000;

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(CLUSTER)
            .overrideConfigKey("quarkus.redis-session.key-prefix", PREFIX)
            .overrideConfigKey("quarkus.redis-session.timeout", "2S")
            .overrideConfigKey("quarkus.redis-session.purge.scan-count", "20")
            .overrideConfigKey("quarkus.redis-session.purge.rate-limit", "1000")
            // a lock whose master died with it frees the tenant soon
            .overrideConfigKey("quarkus.redis-session.purge.lock-lease", "2S");

    @Inject
    TenantPurge purge;
    @Inject
    SessionRedis redis;

    @AfterAll
    static void stopCluster() {
        CLUSTER.stop();
    }

    @Test
    void aPurgeDuringAFailoverFailsWithItsReasonOrCompletesAndARerunCompletes() {
        String now = Instant.now().toString();
        Multi.createFrom().range(0, KEYS).onItem().transformToUni(i -> redis.client().send(Request.cmd(Command.SET)
                .arg(PREFIX + "victim:" + SessionIds.generate()).arg("{\"created_at\":\"" + now + "\"}")))
                .merge(16).collect().last().await().atMost(Duration.ofSeconds(60));

        PurgeJob started = purge.start("victim").await().atMost(Duration.ofSeconds(10));
        awaitJob(started.id(), job -> job.deleted() >= 300);
        RedisServer victim = CLUSTER.masters().get(0);
        victim.kill();
        PurgeJob first = awaitJob(started.id(), job -> job.state().isTerminal());
        System.out.println("[failover] purge during a cluster failover: " + first);

        CLUSTER.awaitReady(Duration.ofSeconds(30)); // its replica took over
        if (first.state() == PurgeState.COMPLETED) {
            assertEquals(0, remaining(), "a completed purge leaves no key of the tenant: " + first);
        } else {
            assertEquals(PurgeState.FAILED, first.state(), String.valueOf(first));
            assertTrue(first.error() != null && !first.error().isBlank(), "the reason: " + first);
        }

        // Run again (the lock of the failed job may still be held until its lease ends): completes, nothing left.
        AtomicReference<PurgeJob> rerun = new AtomicReference<>();
        Poll.until(Duration.ofSeconds(60), "a rerun of the purge to complete", () -> {
            try {
                rerun.set(purge.purgeToEnd("victim").await().atMost(Duration.ofSeconds(30)));
            } catch (PurgeAlreadyRunningException stillLocked) {
                return false;
            }
            return rerun.get().state() == PurgeState.COMPLETED;
        });
        System.out.println("[failover] purge rerun after the failover: " + rerun.get());
        assertEquals(0, remaining(), "the rerun leaves no key of the tenant: " + rerun.get());
    }

    /** The tenant's keys on the masters serving now (KEYS is fine on a test's own small cluster). */
    private static long remaining() {
        return CLUSTER.masters().stream()
                .mapToLong(m -> m.cli("KEYS", PREFIX + "victim:*").lines().filter(l -> !l.isBlank()).count()).sum();
    }

    private PurgeJob awaitJob(String id, java.util.function.Predicate<PurgeJob> done) {
        return Poll.until(Duration.ofSeconds(60), "purge job " + id,
                () -> purge.job(id).await().atMost(Duration.ofSeconds(10)).orElse(null),
                job -> job != null && done.test(job));
    }
}
