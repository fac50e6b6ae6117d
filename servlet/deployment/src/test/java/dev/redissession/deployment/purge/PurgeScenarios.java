package dev.redissession.deployment.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.redissession.InvalidTenantException;
import dev.redissession.PurgeAlreadyRunningException;
import dev.redissession.PurgeJob;
import dev.redissession.PurgeState;
import dev.redissession.TenantPurge;
import dev.redissession.runtime.keys.SessionIds;
import dev.redissession.runtime.keys.SessionKeys;
import dev.redissession.runtime.store.SessionRedis;
import dev.redissession.testing.Poll;
import io.quarkus.test.QuarkusUnitTest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The purge scenarios, run against a standalone Redis ({@link PurgeStandaloneTest}) and a 3-master cluster
 * ({@link PurgeClusterTest}). Each subclass uses its own key prefix, so the shared servers' other data is never
 * touched.
 */
abstract class PurgeScenarios {

    static final Duration MAX_LIFETIME = Duration.ofHours(8);

    /** The application every scenario runs in: sessions keyed by tenant header, a slow (rate-limited) purge. */
    static QuarkusUnitTest app(String prefix) {
        return new QuarkusUnitTest()
                .overrideConfigKey("quarkus.http.test-port", "0")
                .withApplicationRoot(jar -> jar.addClasses(PurgeTestServlet.class, SessionHttp.class,
                        PurgeScenarios.class))
                .overrideConfigKey("quarkus.redis.devservices.enabled", "false")
                .overrideConfigKey("quarkus.redis-session.key-prefix", prefix)
                .overrideConfigKey("quarkus.redis-session.tenant.strategy", "header")
                .overrideConfigKey("quarkus.redis-session.purge.scan-count", "20")
                .overrideConfigKey("quarkus.redis-session.purge.delete-batch", "7")
                // Slow enough that the concurrent traffic below overlaps a good part of the scan.
                .overrideConfigKey("quarkus.redis-session.purge.rate-limit", "100");
    }

    @Inject
    TenantPurge purge;
    @Inject
    SessionRedis redis;
    @TestHTTPResource("/")
    URL base;

    abstract String prefix();

    @Test
    void purgesExactlyOneTenantAmongNoise() {
        String target = "acme";
        List<String> noise = List.of("acme2", "acm", "acme-1", "acme.x", "acme_", "xacme", "ACME", "a", "acmee",
                "tenant.10", "acme2.acme");
        seed(target, 150);
        noise.forEach(tenant -> seed(tenant, 25));
        // Keys near the tenant's that are not its sessions: no valid id, or another prefix.
        List<String> bystanders = List.of(prefix() + "acme:not a session", prefix() + "acme",
                prefix() + "acme:" + SessionIds.generate() + ":x", "other-" + prefix() + "acme:" + SessionIds.generate(),
                prefix() + "acme:short");
        bystanders.forEach(key -> cmd(Request.cmd(Command.SET).arg(key).arg("x").arg("PX").arg(600_000)));
        assertEquals(150L, count(target));
        Map<String, Long> before = counts(noise);
        noise.forEach(tenant -> assertEquals(25L, before.get(tenant), tenant));

        List<PurgeJob> progress = purge.purge(target).collect().asList().await().atMost(Duration.ofSeconds(60));

        PurgeJob end = progress.get(progress.size() - 1);
        assertEquals(PurgeState.COMPLETED, end.state(), String.valueOf(end));
        assertEquals(150L, end.deleted());
        assertTrue(end.scanned() >= 150 + 3, "every matching key was scanned: " + end);
        assertTrue(end.pages() >= 1 && end.finishedAt() != null && end.error() == null, String.valueOf(end));
        assertTrue(progress.size() >= 3, "progress is reported while the job runs: " + progress.size());
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i).deleted() >= progress.get(i - 1).deleted(), "monotonic progress");
        }
        assertEquals(0L, count(target));
        assertEquals(before, counts(noise), "every noise tenant keeps all its sessions");
        bystanders.forEach(key -> assertEquals(1L, cmd(Request.cmd(Command.EXISTS).arg(key)).toLong(), key));

        // The fence (on a cluster one key per slot) stays for one max lifetime, the lock is gone, any replica can
        // read the final state.
        SessionKeys keys = new SessionKeys(prefix());
        for (int slot : new int[] { 0, 8191, 16383 }) {
            String fence = keys.purgeFence(target, slot, redis.isCluster());
            assertEquals(String.valueOf(end.startedAt().toEpochMilli()),
                    cmd(Request.cmd(Command.GET).arg(fence)).toString(), fence);
            long fenceTtl = cmd(Request.cmd(Command.PTTL).arg(fence)).toLong();
            assertTrue(fenceTtl > MAX_LIFETIME.toMillis() - 120_000 && fenceTtl <= MAX_LIFETIME.toMillis(),
                    fence + " " + fenceTtl);
        }
        assertNull(cmd(Request.cmd(Command.GET).arg(prefix() + "#purge-lock:" + target)));
        String stored = cmd(Request.cmd(Command.HGET).arg(prefix() + "#purge-job:" + end.id()).arg("job")).toString();
        assertTrue(stored.contains("\"state\":\"completed\"") && stored.contains("\"deleted\":150"), stored);
        long jobTtl = cmd(Request.cmd(Command.PTTL).arg(prefix() + "#purge-job:" + end.id())).toLong();
        assertTrue(jobTtl > 0 && jobTtl <= Duration.ofHours(24).toMillis(), "job state expires: " + jobTtl);

        // Running it again is harmless.
        PurgeJob again = purge.purgeToEnd(target).await().atMost(Duration.ofSeconds(30));
        assertEquals(PurgeState.COMPLETED, again.state());
        assertEquals(0L, again.deleted());
        assertEquals(before, counts(noise));
    }

    /**
     * Sessions of the tenant are rotated and written through the servlet stack by several threads while the purge
     * runs; when it reports completed, no session that existed at its start can be used with any id it ever had.
     */
    @Test
    void purgeIsCompleteUnderConcurrentRotationsAndWrites() throws Exception {
        SessionHttp http = new SessionHttp(base);
        String target = "busy";
        List<String> noise = List.of("busy2", "busy-1", "busy.x", "bus", "xbusy", "busy_", "BUSY", "b", "busy2x",
                "busy.2");
        List<List<String>> targetIds = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            targetIds.add(Collections.synchronizedList(new ArrayList<>(List.of(http.create(target, "t" + i)))));
        }
        Map<String, String> noiseOwners = new LinkedHashMap<>();
        for (String tenant : noise) {
            for (int i = 0; i < 4; i++) {
                noiseOwners.put(tenant + "/" + http.create(tenant, tenant + "-" + i), tenant + "-" + i);
            }
        }
        seed("busy-pad", 2000); // more pages, so the scan takes a while and traffic lands on both sides of it
        Map<String, Long> before = counts(noise);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger operations = new AtomicInteger();
        ConcurrentLinkedQueue<Long> rotations = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> writes = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> traffic = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                while (!stop.get()) {
                    List<String> ids = targetIds.get(ThreadLocalRandom.current().nextInt(targetIds.size()));
                    try {
                        synchronized (ids) { // one request per session at a time, like one browser
                            String current = ids.get(ids.size() - 1);
                            if (ThreadLocalRandom.current().nextBoolean()) {
                                var rotated = http.rotateResponse(target, current);
                                if (rotated.statusCode() == 200) {
                                    ids.add(rotated.body());
                                } else if (rotated.statusCode() != 404 && rotated.statusCode() != 409) {
                                    throw new IllegalStateException("rotate answered " + rotated.statusCode());
                                }
                                // 200 or 409: it rotated a live session (409: which the fence then ended).
                                if (rotated.statusCode() != 404) {
                                    rotations.add(System.nanoTime());
                                }
                            } else if (http.write(target, current)) {
                                writes.add(System.nanoTime());
                            }
                        }
                        operations.incrementAndGet();
                    } catch (RuntimeException e) {
                        errors.add(e);
                    }
                }
            }, "purge-traffic-" + t);
            thread.start();
            traffic.add(thread);
        }
        try {
            Poll.until(Duration.ofSeconds(60), "traffic warmed up", () -> operations.get() >= 100);
            long jobStart = System.nanoTime();
            PurgeJob started = purge.start(target).await().atMost(Duration.ofSeconds(10));
            PurgeJob end = awaitEnd(started.id());
            long jobEnd = System.nanoTime();
            stop.set(true);
            for (Thread thread : traffic) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertTrue(errors.isEmpty(), "traffic errors: " + errors);
            assertEquals(PurgeState.COMPLETED, end.state(), String.valueOf(end));
            long rotatedDuring = rotations.stream().filter(t -> t > jobStart && t < jobEnd).count();
            long writtenDuring = writes.stream().filter(t -> t > jobStart && t < jobEnd).count();
            assertTrue(rotatedDuring >= 10 && writtenDuring >= 10, "the purge ran under traffic: " + rotatedDuring
                    + " rotations of live sessions and " + writtenDuring + " writes succeeded while it ran");

            for (List<String> ids : targetIds) {
                for (String id : ids) {
                    assertNull(http.read(target, id), "session " + id + " (ids " + ids + ") survived the purge");
                }
            }
            assertEquals(0L, count(target));
            assertEquals(before, counts(noise));
            noiseOwners.forEach((tenantAndId, owner) -> {
                String[] parts = tenantAndId.split("/");
                assertEquals(owner, http.read(parts[0], parts[1]), "noise session " + tenantAndId);
            });
        } finally {
            stop.set(true);
        }
    }

    @Test
    void onlyOnePurgePerTenantRunsAtATime() {
        seed("solo", 60);
        seed("duo", 60);
        PurgeJob first = purge.start("solo").await().atMost(Duration.ofSeconds(10));
        PurgeAlreadyRunningException refused = assertThrows(PurgeAlreadyRunningException.class,
                () -> purge.start("solo").await().atMost(Duration.ofSeconds(10)));
        assertEquals(first.id(), refused.runningJobId());
        assertTrue(refused.getMessage().contains(first.id()), refused.getMessage());
        assertThrows(PurgeAlreadyRunningException.class,
                () -> purge.purge("solo").collect().last().await().atMost(Duration.ofSeconds(10)));
        // Another tenant is not blocked.
        PurgeJob other = purge.start("duo").await().atMost(Duration.ofSeconds(10));
        assertEquals(PurgeState.COMPLETED, awaitEnd(first.id()).state());
        assertEquals(PurgeState.COMPLETED, awaitEnd(other.id()).state());
        assertEquals(0L, count("solo"));

        // A job of another replica holds the lock: refused with that job's id.
        String lock = prefix() + "#purge-lock:solo";
        cmd(Request.cmd(Command.SET).arg(lock).arg("job-of-another-replica").arg("PX").arg(60_000));
        try {
            PurgeAlreadyRunningException elsewhere = assertThrows(PurgeAlreadyRunningException.class,
                    () -> purge.start("solo").await().atMost(Duration.ofSeconds(10)));
            assertEquals("job-of-another-replica", elsewhere.runningJobId());
        } finally {
            cmd(Request.cmd(Command.DEL).arg(lock));
        }
        assertEquals(PurgeState.COMPLETED, purge.purgeToEnd("solo").await().atMost(Duration.ofSeconds(10)).state());
    }

    /**
     * A subscriber that cancels from inside its onItem (here {@code first(2)}) unregisters while the job emits: the
     * job must end cancelled (as documented for a cancelled subscription), not fail on the emission.
     */
    @Test
    void aSubscriberThatStopsAfterTwoSnapshotsCancelsTheJob() {
        seed("quit", 300);
        try {
            List<PurgeJob> two = purge.purge("quit").select().first(2).collect().asList()
                    .await().atMost(Duration.ofSeconds(30));
            assertEquals(2, two.size(), String.valueOf(two));
            PurgeJob end = awaitEnd(two.get(0).id());
            assertEquals(PurgeState.CANCELLED, end.state(), String.valueOf(end));
            assertNull(end.error(), String.valueOf(end));
            assertTrue(end.deleted() < 300, "stopped before the end (rate limit 100 keys/s): " + end);
            Poll.until(Duration.ofSeconds(60), "lock released",
                    () -> cmd(Request.cmd(Command.GET).arg(prefix() + "#purge-lock:quit")) == null);
        } finally {
            assertEquals(PurgeState.COMPLETED, purge.purgeToEnd("quit").await().atMost(Duration.ofSeconds(60)).state());
        }
    }

    /**
     * The caller goes away while the lock and fence are being written: the job that got them is cancelled at once,
     * so no lock (30 s) nor fence (max lifetime) stays behind without a job.
     */
    @Test
    void cancellingWhileAJobStartsLeavesNoLockOrFenceBehind() {
        seed("gone", 40);
        String lock = prefix() + "#purge-lock:gone";
        String fence = new SessionKeys(prefix()).purgeFence("gone", 16383, redis.isCluster());
        for (int i = 0; i < 6; i++) {
            // Cancelled right after subscribing: the SET NX of the lock is on the wire by then.
            Cancellable attempt = i % 2 == 0 ? purge.start("gone").subscribe().with(job -> {
            }, failure -> {
            }) : purge.purge("gone").subscribe().with(job -> {
            }, failure -> {
            });
            attempt.cancel();
            // A check may run before that SET does; then the next round (or the last check) finds its lock.
            awaitNoLockNorFence(lock, fence, "attempt " + i);
        }
        awaitNoLockNorFence(lock, fence, "the last attempt");
        Poll.until(Duration.ofSeconds(60), "a purge of the tenant completes", () -> {
            try {
                return purge.purgeToEnd("gone").await().atMost(Duration.ofSeconds(60)).state() == PurgeState.COMPLETED;
            } catch (PurgeAlreadyRunningException stillEnding) {
                return false;
            }
        });
        assertEquals(0L, count("gone"));
    }

    private void awaitNoLockNorFence(String lock, String fence, String what) {
        // Well under the 30 s lock lease: without cleanup, the lock would just sit there.
        // One key per command: on a cluster, the two keys are in different slots.
        Poll.until(Duration.ofSeconds(10), what + ": no lock nor fence left behind by a cancelled start",
                () -> "lock " + cmd(Request.cmd(Command.GET).arg(lock)) + ", fence "
                        + cmd(Request.cmd(Command.GET).arg(fence)),
                "lock null, fence null"::equals);
    }

    @Test
    void tenantIdsWithGlobCharactersAreRefused() {
        for (String bad : List.of("ac*me", "ac?me", "[acme]", "acme]", "ac\\me", "a:b", "", "ac me")) {
            assertThrows(InvalidTenantException.class, () -> purge.start(bad).await().atMost(Duration.ofSeconds(5)),
                    bad);
            assertThrows(InvalidTenantException.class,
                    () -> purge.purge(bad).collect().last().await().atMost(Duration.ofSeconds(5)), bad);
            assertThrows(InvalidTenantException.class,
                    () -> purge.countSessions(bad).await().atMost(Duration.ofSeconds(5)), bad);
        }
        assertThrows(InvalidTenantException.class, () -> purge.start(null).await().atMost(Duration.ofSeconds(5)));
        assertEquals(Optional.empty(), purge.job("no-such-job").await().atMost(Duration.ofSeconds(5)));
        assertFalse(purge.job("00000000-0000-0000-0000-000000000000").await().atMost(Duration.ofSeconds(5))
                .isPresent());
    }

    PurgeJob awaitEnd(String id) {
        return Poll.until(Duration.ofSeconds(60), "the end of purge " + id,
                () -> purge.job(id).await().atMost(Duration.ofSeconds(10)).orElseThrow(),
                job -> job.state().isTerminal());
    }

    long count(String tenant) {
        return purge.countSessions(tenant).await().atMost(Duration.ofSeconds(30));
    }

    Map<String, Long> counts(List<String> tenants) {
        Map<String, Long> counts = new LinkedHashMap<>();
        tenants.forEach(tenant -> counts.put(tenant, count(tenant)));
        return counts;
    }

    /** {@code n} session keys of the tenant with valid ids, written directly. */
    void seed(String tenant, int n) {
        String now = Instant.now().toString();
        Multi.createFrom().range(0, n)
                .onItem().transformToUni(i -> redis.client().send(Request.cmd(Command.SET)
                        .arg(prefix() + tenant + ":" + SessionIds.generate())
                        .arg("{\"created_at\":\"" + now + "\",\"last_accessed_at\":\"" + now + "\"}")
                        .arg("PX").arg(600_000)))
                .merge(8).collect().last().await().atMost(Duration.ofSeconds(60));
    }

    Response cmd(Request request) {
        return redis.client().send(request).await().atMost(Duration.ofSeconds(10));
    }
}
