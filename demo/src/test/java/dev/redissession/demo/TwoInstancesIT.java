package dev.redissession.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.redissession.demo.DemoReplicas.App;
import dev.redissession.demo.DemoReplicas.Reply;
import dev.redissession.testing.RedisServer;

/**
 * Two replicas of the packaged demo ({@link DemoReplicas}) behind no load balancer but sharing one Redis: a session
 * made on one is the same session on the other, and both survive a Redis outage without a restart (503 meanwhile,
 * with the Redis address in the log and not in the response). Each app's output goes to
 * {@code target/two-instances-<name>.log}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesIT {

    static RedisServer redis;
    static DemoReplicas replicas;
    static App a;
    static App b;

    @BeforeAll
    static void startRedisAndTwoReplicas() throws Exception {
        replicas = new DemoReplicas("two-instances");
        redis = RedisServer.start();
        try {
            a = replicas.start("a", redis.uri());
            b = replicas.start("b", redis.uri());
        } catch (Throwable e) {
            stopAll();
            throw e;
        }
    }

    @AfterAll
    static void stopAll() {
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
        // demo.replica is not set: each names itself by host name and port, so the two differ.
        assertTrue(login.replica().endsWith(":" + a.port()), "X-Replica of A: " + login);

        Reply me = send(b, "GET", "/demo/me", id, null);
        assertEquals(200, me.status(), me.toString());
        assertTrue(me.replica().endsWith(":" + b.port()), "X-Replica of B: " + me);
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
        assertEquals(DemoReplicas.JSON.readTree("{\"color\":\"dark\"}"), theme.json());

        assertEquals(204, send(b, "POST", "/demo/logout", id, null).status());
        Reply afterLogout = send(a, "GET", "/demo/me", id, null);
        assertEquals(401, afterLogout.status(), "logout on B ends the session on A: " + afterLogout);
    }

    @Test
    @Order(2)
    void bothReplicasAnswer503WithoutRedisAndResumeWhenItIsBack() throws Exception {
        Reply login = send(a, "POST", "/demo/login", null, "{\"user_id\":\"u-2\"}");
        assertEquals(200, login.status(), login.toString());
        String id = login.sessionId();

        redis.stop();
        for (App app : List.of(a, b)) {
            Reply me = send(app, "GET", "/demo/me", id, null);
            assertEquals(503, me.status(), app.name() + ": " + me);
            assertEquals("session_store_unavailable", me.json().get("error").textValue());
            String message = me.json().get("message").textValue();
            // "refused" once the client reconnects; "failed" when the request still found the pooled connection that
            // Redis just closed (which of the two comes first is a race with the client noticing the close).
            assertTrue(message.contains("GETEX") && (message.contains("Redis refused the connection")
                    || message.contains("the connection to Redis failed")), "says what failed: " + me);
            // Where Redis runs is for the operator, not the client: the log names it, the body does not.
            assertFalse(message.contains(String.valueOf(redis.port())), "no Redis address in the body: " + me);
            awaitLogLine(app, "Redis session store at " + redis.uri() + " failed GETEX");
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

    /** Polls the replica's log until a line contains {@code text} (the console handler flushes each line). */
    static void awaitLogLine(App app, String text) {
        app.awaitLog(text, Duration.ofSeconds(5));
    }

    static Reply send(App app, String method, String path, String sessionId, String body) throws Exception {
        return DemoReplicas.send(app.uri(path), method, null, sessionId, body);
    }
}
