package dev.redissession.testing.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.contract.AppReplicas.App;
import dev.redissession.testing.contract.AppReplicas.Reply;

/**
 * Two replicas of a packaged app of the session contract ({@link AppReplicas}) behind no load balancer but sharing one
 * Redis of their own: a session made on one is the same session on the other, and both survive a Redis outage without
 * a restart (503 meanwhile, with the Redis address in the log and not in the response); concurrent requests on both
 * lose no session and a logout that races them wins. A concrete subclass is a
 * failsafe test of one app; each replica's output goes to {@code target/<label>-<name>.log}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class TwoInstancesScenarios {

    /** How many requests the concurrency scenarios send at once, half to each replica. */
    static final int PARALLEL = 16;

    protected RedisServer redis;
    protected AppReplicas replicas;
    protected App a;
    protected App b;

    /** Names the replicas' log files, so two test classes never write the same one. */
    protected String label() {
        return "two-instances";
    }

    @BeforeAll
    void startRedisAndTwoReplicas() throws IOException {
        replicas = new AppReplicas(label());
        redis = RedisServer.start();
        try {
            a = replicas.start("a", redis.uri());
            b = replicas.start("b", redis.uri());
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

    // ---- the tests, in order: the last one takes Redis away ------------------------------------------------------

    @Test
    @Order(1)
    void aSessionMadeOnOneReplicaIsTheSameSessionOnTheOther() throws Exception {
        Reply login = send(a, "POST", "/demo/login", null,
                "{\"user_id\":\"u-1\",\"email\":\"a@example.com\",\"name\":\"A\",\"roles\":[\"user\"]}");
        assertEquals(200, login.status(), login.toString());
        String id = login.sessionId();
        assertNotNull(id, "login on A sets the cookie");

        Reply me = send(b, "GET", "/demo/me", id, null);
        assertEquals(200, me.status(), me.toString());
        assertEquals("u-1", me.json().get("user_id").textValue());
        assertEquals("a@example.com", me.json().get("email").textValue());

        App[] order = { a, b, a, b };
        for (int i = 0; i < order.length; i++) {
            Reply counter = send(order[i], "POST", "/demo/counter", id, null);
            assertEquals(200, counter.status(), counter.toString());
            assertEquals(String.valueOf(i + 1), counter.body(),
                    "counter on " + order[i].name() + " sees every earlier increment");
        }

        assertEquals(204, send(b, "PUT", "/demo/attributes/theme", id, "{\"color\":\"dark\"}").status());
        Reply theme = send(a, "GET", "/demo/attributes/theme", id, null);
        assertEquals(200, theme.status(), theme.toString());
        assertEquals(ContractRequests.JSON.readTree("{\"color\":\"dark\"}"), theme.json());

        assertEquals(204, send(b, "POST", "/demo/logout", id, null).status());
        Reply afterLogout = send(a, "GET", "/demo/me", id, null);
        assertEquals(401, afterLogout.status(), "logout on B ends the session on A: " + afterLogout);
    }

    @Test
    @Order(2)
    void parallelIncrementsOnBothReplicasAllSucceedAndAllCount() throws Exception {
        String id = send(a, "POST", "/demo/login", null, "{\"user_id\":\"u-parallel\"}").sessionId();
        List<Reply> increments = inParallel(PARALLEL, i -> send(i % 2 == 0 ? a : b, "POST", "/demo/counter", id, null));
        for (Reply increment : increments) {
            assertEquals(200, increment.status(), increment.toString());
            long value = Long.parseLong(increment.body());
            // The answer is computed from the value the request read; the stored one from the newest.
            assertTrue(value >= 1 && value <= PARALLEL, "each increment counts from a state some request saved: " + value);
        }
        // The counter is an atomic update: an increment that lost a race adds its one to the newer value.
        Reply stored = send(b, "GET", "/demo/attributes/counter", id, null);
        assertEquals(200, stored.status(), stored.toString());
        assertEquals(String.valueOf(PARALLEL), stored.body(), "every increment counted");
        assertEquals("u-parallel", send(a, "GET", "/demo/me", id, null).json().get("user_id").textValue(),
                "the other attributes survive the concurrent saves");
    }

    @Test
    @Order(3)
    void aLogoutRacingIncrementsOnTheOtherReplicaEndsTheSessionForGood() throws Exception {
        String id = send(a, "POST", "/demo/login", null, "{\"user_id\":\"u-race\"}").sessionId();
        List<Reply> replies = inParallel(PARALLEL, i -> i == PARALLEL / 2 ? send(b, "POST", "/demo/logout", id, null)
                : send(a, "POST", "/demo/counter", id, null));
        for (Reply reply : replies) {
            // 200: saved before the logout, or after it into a session of its own (a new id, never the old one);
            // 409: read the session before the logout and saved after it, refused rather than lost silently.
            assertTrue(reply.status() == 204 || reply.status() == 409
                    || reply.status() == 200 && !id.equals(reply.sessionId()), reply.toString());
        }
        for (App app : List.of(a, b)) {
            assertEquals(401, send(app, "GET", "/demo/me", id, null).status(),
                    "no racing save brings the logged-out session back, on " + app.name());
        }
        assertEquals("0", redis.cli("EXISTS", "session:public:" + id));
    }

    @Test
    @Order(4)
    void bothReplicasAnswer503WithoutRedisAndResumeWhenItIsBack() throws Exception {
        Reply login = send(a, "POST", "/demo/login", null, "{\"user_id\":\"u-2\"}");
        assertEquals(200, login.status(), login.toString());
        String id = login.sessionId();

        redis.stop();
        for (App app : List.of(a, b)) {
            Reply me = send(app, "GET", "/demo/me", id, null);
            assertEquals(503, me.status(), app.name() + ": " + me);
            assertNotNull(me.header("Retry-After"), "Redis unreachable is worth retrying soon: " + me);
            assertEquals("session_store_unavailable", me.json().get("error").textValue());
            String message = me.json().get("message").textValue();
            // "refused" once the client reconnects; "failed" when the request still found the pooled connection that
            // Redis just closed (which of the two comes first is a race with the client noticing the close).
            assertTrue(message.contains("GETEX") && (message.contains("Redis refused the connection")
                    || message.contains("the connection to Redis failed")), "says what failed: " + me);
            // Where Redis runs is for the operator, not the client: the log names it, the body does not.
            assertFalse(message.contains(String.valueOf(redis.port())), "no Redis address in the body: " + me);
            app.awaitLog("Redis session store at " + redis.uri() + " failed GETEX", Duration.ofSeconds(5));
            Reply ping = send(app, "GET", "/demo/ping", id, null);
            assertEquals(200, ping.status(), "a request that does not use its session works without Redis");
            assertEquals("pong", ping.body());
        }

        redis.restart(); // same port; persistence is off, so every session is gone
        Reply again = send(a, "POST", "/demo/login", null, "{\"user_id\":\"u-3\"}");
        assertEquals(200, again.status(), "login on A after Redis came back: " + again + "\n" + a.logTail());
        Reply me = send(b, "GET", "/demo/me", again.sessionId(), null);
        assertEquals(200, me.status(), "B reads it after Redis came back: " + me + "\n" + b.logTail());
        assertEquals("u-3", me.json().get("user_id").textValue());
        assertEquals(401, send(b, "GET", "/demo/me", id, null).status(), "the session from before the outage is gone");
    }

    /** A request of {@link #inParallel}, by its index. */
    @FunctionalInterface
    protected interface Call {
        Reply send(int index) throws Exception;
    }

    /** Sends {@code count} requests at once (released together from a latch) and returns their answers in order. */
    protected static List<Reply> inParallel(int count, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Reply>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.send(index);
                }));
            }
            start.countDown();
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> future : futures) {
                replies.add(future.get(30, TimeUnit.SECONDS));
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    protected static Reply send(App app, String method, String path, String sessionId, String body)
            throws IOException, InterruptedException {
        return AppReplicas.send(app.uri(path), method, null, sessionId, body);
    }
}
