package dev.redissession.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redissession.runtime.keys.SessionIds;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.contract.AppReplicas;
import dev.redissession.testing.contract.AppReplicas.App;
import dev.redissession.testing.contract.AppReplicas.Reply;
import dev.redissession.testing.contract.ContractRequests;

/**
 * Two replicas of the packaged demo whose clocks are off ({@code faketime}: one 2 h slow, one 10 min fast) on one
 * Redis, with a max-lifetime of 1 h: a session's times and deadlines follow Redis's clock, not theirs. Sessions near
 * or past their absolute deadline are written into Redis directly, as the session of another service would be, so no
 * test waits for a deadline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaClockIT {

    static final Duration MAX_LIFETIME = Duration.ofHours(1);
    /**
     * What a replica's reading of Redis's clock may be off by on a loaded test machine (half the round trip of its
     * first {@code TIME}, which opens a connection); far below the skews under test.
     */
    static final Duration TOLERANCE = Duration.ofSeconds(5);

    RedisServer redis;
    AppReplicas replicas;
    App slow;
    App fast;

    @BeforeAll
    void startRedisAndTwoSkewedReplicas() throws IOException {
        replicas = new AppReplicas("replica-clock");
        redis = RedisServer.start();
        try {
            slow = replicas.start("slow", List.of("faketime", "-f", "-2h"), redis.uri(),
                    "quarkus.redis-session.max-lifetime=" + MAX_LIFETIME);
            fast = replicas.start("fast", List.of("faketime", "-f", "+10m"), redis.uri(),
                    "quarkus.redis-session.max-lifetime=" + MAX_LIFETIME);
            // Each has read Redis's clock (once at startup, off the request path) and says how far off its own is.
            slow.awaitLog("behind Redis's", Duration.ofSeconds(10));
            fast.awaitLog("ahead of Redis's", Duration.ofSeconds(10));
        } catch (IOException | RuntimeException | Error e) {
            stopAll();
            throw e;
        }
    }

    @AfterAll
    void stopAll() {
        if (replicas != null) {
            replicas.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    void aSlowReplicaDoesNotServeASessionPastItsAbsoluteLifetime() throws Exception {
        // 1 h 05 min old by Redis's clock; 55 min old by the slow replica's own.
        String id = seed(redisNow().minus(MAX_LIFETIME).minus(Duration.ofMinutes(5)));

        assertEquals(401, me(slow, id).status(), "a session past its absolute lifetime is not served");
        assertEquals("0", redis.cli("EXISTS", key(id)), "and it is deleted");
    }

    @Test
    void aSlowReplicaSlidesNoTtlPastTheAbsoluteDeadline() throws Exception {
        String id = seed(redisNow().minus(MAX_LIFETIME).plusSeconds(20));

        assertEquals(200, me(slow, id).status());
        long ttl = Long.parseLong(redis.cli("PTTL", key(id)));
        System.out.println("[figure] 2 h slow replica, session 20 s before its absolute deadline: PTTL after a read "
                + ttl + " ms");
        assertTrue(ttl > 0 && ttl <= 20_000, "the read leaves at most the 20 s to the absolute deadline, not the 30 min "
                + "idle timeout: PTTL " + ttl);
    }

    @Test
    void aFastReplicaDoesNotEndASessionEarly() throws Exception {
        // 5 min left by Redis's clock; 5 min over by the fast replica's own.
        String id = seed(redisNow().minus(MAX_LIFETIME).plus(Duration.ofMinutes(5)));

        assertEquals(200, me(fast, id).status(), "a session with 5 min left is served");
        long ttl = Long.parseLong(redis.cli("PTTL", key(id)));
        System.out.println("[figure] 10 min fast replica, session 5 min before its absolute deadline: PTTL after a read "
                + ttl + " ms");
        assertTrue(ttl > Duration.ofMinutes(4).toMillis() && ttl <= Duration.ofMinutes(5).toMillis(),
                "its TTL is what remains by Redis's clock: PTTL " + ttl);
    }

    @Test
    void createdAtAndLastAccessFollowRedisClockOnEveryReplica() throws Exception {
        Instant before = redisNow();
        String id = AppReplicas.send(fast.uri("/demo/login"), "POST", null, null, ContractRequests.LOGIN).sessionId();
        Instant after = redisNow();
        JsonNode created = stored(id);
        assertNear("created_at written by the 10 min fast replica", created.get("created_at"), before, after);
        assertNear("last_accessed_at written by the 10 min fast replica", created.get("last_accessed_at"), before,
                after);

        before = redisNow();
        assertEquals(200, AppReplicas.send(slow.uri("/demo/counter"), "POST", null, id, null).status());
        after = redisNow();
        JsonNode changed = stored(id);
        assertEquals(created.get("created_at"), changed.get("created_at"), "created_at is never rewritten");
        assertNear("last_accessed_at written by the 2 h slow replica", changed.get("last_accessed_at"), before, after);
    }

    private void assertNear(String what, JsonNode stored, Instant before, Instant after) {
        Instant at = Instant.parse(stored.textValue());
        System.out.println("[figure] " + what + ": " + Duration.between(before, at).toMillis() + " ms after Redis's "
                + "TIME before the request, " + Duration.between(at, after).toMillis() + " ms before TIME after it");
        assertTrue(!at.isBefore(before.minus(TOLERANCE)) && !at.isAfter(after.plus(TOLERANCE)),
                what + " is Redis's time of the request, between " + before + " and " + after + ": " + at);
    }

    /** A session of tenant {@code public} with this {@code created_at}, as another service would write it. */
    private String seed(Instant createdAt) {
        String id = SessionIds.generate();
        Instant lastAccess = redisNow().minusSeconds(60);
        redis.cli("SET", key(id), "{\"created_at\":\"" + createdAt + "\",\"last_accessed_at\":\"" + lastAccess
                + "\",\"user_id\":\"u-7\",\"tenant_id\":\"public\"}", "PX", "600000");
        return id;
    }

    private static Reply me(App app, String id) throws Exception {
        return AppReplicas.send(app.uri("/demo/me"), "GET", null, id, null);
    }

    private JsonNode stored(String id) throws IOException {
        return ContractRequests.JSON.readTree(redis.cli("GET", key(id)));
    }

    private static String key(String id) {
        return "session:public:" + id;
    }

    /** Redis's own clock ({@code TIME}: seconds and microseconds on two lines). */
    private Instant redisNow() {
        String[] time = redis.cli("TIME").trim().split("\\s+");
        return Instant.ofEpochSecond(Long.parseLong(time[0]), Long.parseLong(time[1]) * 1000);
    }
}
