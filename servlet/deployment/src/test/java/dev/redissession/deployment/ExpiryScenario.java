package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;

import dev.redissession.SessionEnded;
import dev.redissession.runtime.expiry.ExpirySweeper;
import dev.redissession.runtime.metrics.SessionMetrics;
import dev.redissession.runtime.session.SessionEnds;
import dev.redissession.runtime.session.SessionHandles;
import dev.redissession.testing.Poll;

/**
 * Expiry without keyspace notifications, as two replicas see it: the app under test (replica A: its sweeper, its
 * {@code SessionEnded} observer, its servlet listener, its {@code redis.session.expired} counter) and a second
 * {@link ExpirySweeper} over the same Redis with its own announcer (replica B). N sessions expire: A and B together
 * announce exactly N expiries, each once, and nothing remains in the expiry index; a logout is one
 * {@code invalidated} end and never an expiry.
 */
final class ExpiryScenario {

    static final int SESSIONS = 20;
    static final String TENANT = "expiry";

    private ExpiryScenario() {
    }

    /** Replica A's observer: every {@code SessionEnded} of the app. */
    @Singleton
    public static class Heard {
        static final List<SessionEnded> ENDS = new CopyOnWriteArrayList<>();
        static final Map<String, Long> AT = new ConcurrentHashMap<>();

        void onEnd(@Observes SessionEnded ended) {
            ENDS.add(ended);
            AT.put(ended.handle(), System.currentTimeMillis());
        }
    }

    /** Replica A's servlet listener. */
    @WebListener
    public static class Destroyed implements HttpSessionListener {
        static final Set<String> IDS = ConcurrentHashMap.newKeySet();

        @Override
        public void sessionDestroyed(HttpSessionEvent event) {
            IDS.add(event.getSession().getId());
        }
    }

    /** Replica B's announcer: records what its sweeper delivers instead of firing CDI events. */
    static final class OtherReplica extends SessionEnds {
        final List<SessionEnded> ends = new CopyOnWriteArrayList<>();
        final Map<String, Long> at = new ConcurrentHashMap<>();

        @Override
        public void ended(String tenant, String sessionId, String userId, SessionEnded.Reason reason) {
            ends.add(new SessionEnded(tenant, SessionHandles.of(sessionId), userId, reason));
            at.put(SessionHandles.of(sessionId), System.currentTimeMillis());
        }
    }

    /**
     * @param sweeperOf replica B's sweeper over the app's store, with these ends and metrics
     * @param indexKeys the expiry index members of the tenant left in Redis (all nodes)
     * @param expiredMetric replica A's {@code redis.session.expired}
     */
    static void nSessionsExpireOnceAcrossTwoReplicas(
            java.util.function.BiFunction<SessionEnds, SessionMetrics, ExpirySweeper> sweeperOf,
            Supplier<List<String>> indexKeys, Supplier<Double> expiredMetric)
            throws Exception {
        OtherReplica other = new OtherReplica();
        long[] otherMetric = new long[1];
        ExpirySweeper b = sweeperOf.apply(other, new SessionMetrics() {
            @Override
            public void expired(String tenant) {
                otherMetric[0]++;
            }
        });
        double metricBefore = expiredMetric.get();
        List<String> ids = new ArrayList<>();
        Map<String, Long> deadlines = new ConcurrentHashMap<>();
        for (int i = 0; i < SESSIONS; i++) {
            String id = Sessions.put(null, "user_id", "\"u-" + i + "\"");
            deadlines.put(SessionHandles.of(id), System.currentTimeMillis() + 1000);
            ids.add(id);
        }
        // The newest one, well within its second: an older one may have expired already (then its end is an expiry).
        String loggedOut = ids.remove(ids.size() - 1);
        given().cookie("JSESSIONID", loggedOut).post("/s/invalidate").then().statusCode(204);

        AtomicBoolean running = new AtomicBoolean(true);
        Thread replicaB = new Thread(() -> {
            while (running.get()) {
                b.pass();
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
            }
        }, "replica-b-sweeper");
        replicaB.start();
        try {
            Poll.until(Duration.ofSeconds(20), "no session of the tenant left in the expiry index of any node",
                    () -> indexKeys.get().isEmpty());
        } finally {
            running.set(false);
            replicaB.join(5000);
        }

        List<SessionEnded> all = new ArrayList<>(other.ends);
        all.addAll(Heard.ENDS);
        List<SessionEnded> expired = all.stream().filter(e -> e.reason() == SessionEnded.Reason.EXPIRED
                && e.tenant().equals(TENANT)).toList();
        Set<String> expected = new HashSet<>(ids.stream().map(SessionHandles::of).toList());
        assertEquals(SESSIONS - 1, expired.size(), "each expiry once across both replicas: " + expired);
        assertEquals(expected, new HashSet<>(expired.stream().map(SessionEnded::handle).toList()));
        for (SessionEnded end : expired) {
            assertTrue(end.userId() != null && end.userId().startsWith("u-"), "the user id is kept: " + end);
        }
        List<SessionEnded> logout = all.stream().filter(e -> e.handle().equals(SessionHandles.of(loggedOut)))
                .toList();
        assertEquals(List.of(SessionEnded.Reason.INVALIDATED), logout.stream().map(SessionEnded::reason).toList(),
                "a logout is one invalidated end, never an expiry");
        long heardByA = expired.stream().filter(Heard.ENDS::contains).count();
        assertEquals(SESSIONS - 1, heardByA + otherMetric[0], "the metric counts what each replica announced");
        assertEquals((double) heardByA, expiredMetric.get() - metricBefore, "A's redis.session.expired");
        for (String id : ids) {
            boolean byA = Heard.ENDS.stream().anyMatch(e -> e.handle().equals(SessionHandles.of(id)));
            assertEquals(byA, Destroyed.IDS.contains(id), "sessionDestroyed where the expiry was announced: " + id);
        }

        List<Long> delays = new ArrayList<>();
        for (SessionEnded end : expired) {
            Long at = Heard.AT.containsKey(end.handle()) ? Heard.AT.get(end.handle()) : other.at.get(end.handle());
            delays.add(at - deadlines.get(end.handle()));
        }
        delays.sort(null);
        System.out.printf("expiry delay after the TTL ran out (ms): p50 %d, max %d, over %d expiries (A %d, B %d)%n",
                delays.get(delays.size() / 2), delays.get(delays.size() - 1), delays.size(), heardByA,
                otherMetric[0]);
    }

    /** Replica A's {@code redis.session.expired} (0 before its first expiry). */
    static double expiredMetric() {
        List<String> samples = given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith("redis_session_expired_total")).toList();
        return samples.isEmpty() ? 0
                : Double.parseDouble(samples.get(0).substring(samples.get(0).lastIndexOf(' ') + 1));
    }

    /** The tenant's members in the expiry indexes of {@code node} (other test classes share the server). */
    static List<String> indexedOfTenant(dev.redissession.testing.RedisServer node) {
        List<String> members = new ArrayList<>();
        for (String index : node.cli("KEYS", "session:#expiry*").split("\n")) {
            if (!index.isBlank() && !index.endsWith(":users")) {
                java.util.Arrays.stream(node.cli("ZRANGE", index, "0", "-1").split("\n"))
                        .filter(member -> member.startsWith(TENANT + ":")).forEach(members::add);
            }
        }
        return members;
    }
}
