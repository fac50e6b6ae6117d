package dev.redissession.deployment.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.PurgeJob;
import dev.redissession.PurgeState;
import dev.redissession.TenantPurge;
import dev.redissession.deployment.TestApps;
import dev.redissession.runtime.keys.SessionIds;
import dev.redissession.runtime.store.SessionRedis;
import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * A Redis error in the middle of a purge: the job fails with the reason and its counts so far, frees the tenant,
 * and running it again finishes the work. Uses a Redis server of its own (it changes the server's ACL).
 */
class PurgeFailureTest {

    /** A server of its own: the test changes its ACL. */
    static final RedisServer REDIS = TestRedis.dedicated("purge-failure-test");
    static final String PREFIX = "purge-fail:";
    /** What Redis 7 answers when a script calls a command the ACL denies (NOPERM outside a script). */
    static final String DENIED_IN_SCRIPT = "can't run this command";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS)
            .overrideConfigKey("quarkus.redis-session.key-prefix", PREFIX)
            .overrideConfigKey("quarkus.redis-session.purge.scan-count", "10")
            .overrideConfigKey("quarkus.redis-session.purge.rate-limit", "100");

    @Inject
    TenantPurge purge;
    @Inject
    SessionRedis redis;

    @Test
    void aRedisErrorFailsTheJobWithItsReasonAndARerunFinishes() {
        String now = Instant.now().toString();
        Multi.createFrom().range(0, 200).onItem().transformToUni(i -> redis.client().send(Request.cmd(Command.SET)
                .arg(PREFIX + "victim:" + SessionIds.generate()).arg("{\"created_at\":\"" + now + "\"}")))
                .merge(8).collect().last().await().atMost(Duration.ofSeconds(30));

        PurgeJob started = purge.start("victim").await().atMost(Duration.ofSeconds(10));
        PurgeJob progress = awaitJob(started.id(), job -> job.deleted() >= 20);
        assertEquals(PurgeState.RUNNING, progress.state(), "still running when the error starts: " + progress);
        acl("-unlink");
        PurgeJob failed;
        try {
            failed = awaitJob(started.id(), job -> job.state().isTerminal());
        } finally {
            acl("+unlink");
        }

        assertEquals(PurgeState.FAILED, failed.state(), String.valueOf(failed));
        // The purge unlinks inside purge-unlink.lua: Redis names a denied command inside a script this way.
        assertTrue(failed.error().contains("UNLINK") && failed.error().contains(DENIED_IN_SCRIPT), failed.error());
        // The error is readable through the admin API: no Redis address, no session key.
        String port = String.valueOf(REDIS.port());
        assertFalse(failed.error().contains("127.0.0.1") || failed.error().contains(port)
                || failed.error().contains(PREFIX), failed.error());
        assertTrue(failed.deleted() >= 20 && failed.deleted() < 200, "counts so far: " + failed);
        assertTrue(failed.finishedAt() != null, String.valueOf(failed));
        String stored = send(Request.cmd(Command.HGET).arg(PREFIX + "#purge-job:" + started.id()).arg("job")).toString();
        assertTrue(stored.contains("\"state\":\"failed\"") && stored.contains(DENIED_IN_SCRIPT), stored);
        assertFalse(stored.contains("127.0.0.1"), stored);
        assertNull(send(Request.cmd(Command.GET).arg(PREFIX + "#purge-lock:victim")), "the tenant is free again");
        long left = purge.countSessions("victim").await().atMost(Duration.ofSeconds(10));
        assertEquals(200 - failed.deleted(), left);

        PurgeJob rerun = purge.purgeToEnd("victim").await().atMost(Duration.ofSeconds(30));
        assertEquals(PurgeState.COMPLETED, rerun.state(), String.valueOf(rerun));
        assertEquals(left, rerun.deleted());
        assertEquals(0L, purge.countSessions("victim").await().atMost(Duration.ofSeconds(10)));
        assertNull(rerun.error());
    }

    private void acl(String rule) {
        send(Request.cmd(Command.ACL).arg("SETUSER").arg("default").arg(rule));
    }

    private io.vertx.mutiny.redis.client.Response send(Request request) {
        return redis.client().send(request).await().atMost(Duration.ofSeconds(10));
    }

    private PurgeJob awaitJob(String id, java.util.function.Predicate<PurgeJob> condition) {
        return Poll.until(Duration.ofSeconds(60), "purge " + id,
                () -> purge.job(id).await().atMost(Duration.ofSeconds(10)).orElseThrow(), condition);
    }
}
