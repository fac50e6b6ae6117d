package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * The readiness check on a standalone server: UP while it answers (the Redis client's own check is off), DOWN naming
 * it once it is stopped while liveness stays UP (and the failure is counted in the metrics), readiness DOWN within the
 * check's timeout while it hangs (a stopped process: TCP accepted, nothing answered, as in a network black hole), and
 * health and metrics requests never touch a session. Uses its own server, since it stops it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthTest {

    static final RedisServer REDIS = TestRedis.dedicated("health-test");

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.with(TestApps.on(REDIS, SessionServlet.class, Sessions.class,
            Health.class, RedisMonitor.class), TestApps.HEALTH, TestApps.PROMETHEUS)
            .overrideConfigKey("quarkus.redis-session.health.timeout", "3S");

    @AfterAll
    static void stopRedis() {
        REDIS.stop();
    }

    @Test
    @Order(1)
    void readyWhileRedisAnswers() {
        Response ready = Health.ready();
        ready.then().statusCode(200);
        assertEquals("UP", Health.storeStatus(ready), ready.asString());
        Map<String, String> data = Health.storeData(ready);
        assertEquals("standalone", data.get("topology"));
        assertEquals("UP", data.get(REDIS.uri()), "the server is named with its state: " + data);
        assertEquals("0", REDIS.cli("DBSIZE"), "the probe wrote nothing");
        assertFalse(Health.checkNames(ready).contains(Health.REDIS_CLIENT_CHECK),
                "the Redis client's own check is off beside the store's: " + ready.asString());
    }

    @Test
    @Order(2)
    void healthAndMetricsRequestsNeverTouchTheSession() throws Exception {
        String id = Sessions.put(null, "user", "\"ann\"");
        List<String> commands;
        try (RedisMonitor monitor = RedisMonitor.start(REDIS)) {
            for (String path : List.of("/q/health", "/q/health/ready", "/q/health/live", "/q/metrics")) {
                Response response = given().cookie("JSESSIONID", id).get(path);
                response.then().statusCode(200);
                assertNull(response.getHeader("Set-Cookie"), path + " sends no cookie");
            }
            commands = monitor.commands();
        }
        assertTrue(commands.stream().anyMatch(c -> c.contains("\"evalsha\"")),
                "the readiness probe ran the write script: " + commands);
        assertTrue(commands.stream().noneMatch(c -> c.contains(id)), "no command named the session: " + commands);
    }

    @Test
    @Order(3)
    void hangingRedisMakesReadinessDownWithinItsTimeoutAndUpOnceItAnswers() {
        REDIS.pause();
        try {
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                Response ready = Health.ready();
                long tookMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
                // The whole of readiness, not only the store's check, answers within the check's timeout (3 s).
                assertTrue(tookMillis < 3_000 + 1_000, "readiness answered after " + tookMillis + " ms");
                ready.then().statusCode(503);
                String reason = Health.storeData(ready).get("reason");
                assertTrue(reason.contains("no answer within 3000 ms"), reason);
            }
        } finally {
            REDIS.resume();
        }
        Poll.until(Duration.ofSeconds(20), "readiness to be UP again", () -> Health.ready().statusCode() == 200);
        // The callers that gave up shared one probe, which ended once Redis answered; sessions are served again.
        String id = Sessions.put(null, "after", "\"pause\"");
        given().cookie("JSESSIONID", id).get("/s/attr/after").then().statusCode(200);
    }

    @Test
    @Order(4)
    void stoppedRedisMakesReadinessDownNamingItAndLivenessStaysUp() {
        REDIS.stop();
        try {
            Response ready = Health.ready();
            ready.then().statusCode(503);
            assertEquals("DOWN", Health.storeStatus(ready));
            String reason = Health.storeData(ready).get("reason");
            assertTrue(reason.startsWith("unreachable: " + REDIS.uri()) && reason.contains(":" + REDIS.port()),
                    "the reason names the unreachable server: " + reason);
            given().get("/q/health/live").then().statusCode(200);
            // The failed command shows in the metrics too.
            given().body("1").put("/s/attr/new").then().statusCode(503);
            given().get("/q/metrics").then().statusCode(200)
                    .body(containsString("redis_session_errors_total{error=\"unavailable\"} "));
        } finally {
            REDIS.restart();
        }
        Poll.until(Duration.ofSeconds(20), "readiness to be UP again", () -> Health.ready().statusCode() == 200);
    }
}
