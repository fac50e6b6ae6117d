package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.Cookie;
import io.restassured.response.Response;

/**
 * Redis stopped or hanging: requests that need their session get 503 (the log line names the Redis address, the
 * response does not), the others are served, and service resumes by itself once Redis answers again. Uses its own server, since
 * it stops it.
 */
class RedisFailureTest {

    static final RedisServer REDIS = TestRedis.dedicated("redis-failure-test");

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionServlet.class, Sessions.class)
            .overrideConfigKey("quarkus.redis-session.timeout", "1S")
            .setLogRecordPredicate(r -> r.getLoggerName().startsWith("dev.redissession")
                    || r.getLoggerName().startsWith("io.undertow"))
            .assertLogRecords(records -> {
                List<String> lines = records.stream().map(RedisFailureTest::format).toList();
                assertTrue(lines.stream().anyMatch(l -> l.contains("Redis session store at " + REDIS.uri()
                        + " failed GETEX")), "an error line names the Redis address");
                assertEquals(1, lines.stream().filter(l -> l.contains(" failed EVALSHA CREATE-SESSION ")).count(),
                        "a failed new session is tried once per request: " + lines);
                assertTrue(lines.stream().noneMatch(l -> l.contains("UT005071")),
                        "the filter answered; Undertow never saw the failure: " + lines);
            });

    private static String format(java.util.logging.LogRecord record) {
        return record.getParameters() == null ? record.getMessage()
                : String.format(record.getMessage().replace("{0}", "%s"), record.getParameters());
    }

    @AfterAll
    static void stopRedis() {
        REDIS.stop();
    }

    @Test
    void stoppedRedisMeans503ForSessionRequestsOnlyAndRecoveryAfterRestart() {
        String id = Sessions.put(null, "user", "\"dave\"");
        REDIS.stop();
        try {
            given().cookie("JSESSIONID", id).get("/s/attr/user").then().statusCode(503)
                    .header("Retry-After", "1")
                    .body("error", equalTo("session_store_unavailable"))
                    .body("message", containsString("session store is unavailable"))
                    .body("message", not(containsString(String.valueOf(REDIS.port()))));
            Response created = given().body("1").put("/s/attr/new");
            created.then().statusCode(503);
            Cookie cookie = created.getDetailedCookie("JSESSIONID");
            assertTrue(cookie == null || cookie.getMaxAge() == 0, "no live cookie for a session never stored: " + cookie);
            given().cookie("JSESSIONID", id).get("/s/ping").then().statusCode(200);
        } finally {
            REDIS.restart();
        }
        // Persistence is off, so the old session is gone; the store serves again without any restart of the app.
        given().cookie("JSESSIONID", id).get("/s/attr/user").then().statusCode(401);
        String fresh = Sessions.put(null, "user", "\"erin\"");
        given().cookie("JSESSIONID", fresh).get("/s/attr/user").then().statusCode(200).body("value", equalTo("erin"));
    }

    @Test
    void aRotationThatCouldNotBeSavedKeepsTheOldIdInTheCookie() throws Exception {
        String old = Sessions.put(null, "user", "\"kim\"");
        SessionServlet.hold("rotator");
        CompletableFuture<Response> rotation = CompletableFuture.supplyAsync(() -> given().cookie("JSESSIONID", old)
                .post("/s/rotate?hold=rotator"));
        SessionServlet.awaitLoaded("rotator");
        REDIS.pause();
        Response failed;
        try {
            SessionServlet.release("rotator");
            failed = rotation.get();
        } finally {
            REDIS.resume();
        }
        failed.then().statusCode(503);
        // No cookie at all: the client keeps the id it sent, the one Redis still holds the session under.
        assertEquals(null, failed.getCookie("JSESSIONID"), "the failed rotation sends no cookie");
        given().cookie("JSESSIONID", old).get("/s/attr/user").then().statusCode(200).body("value", equalTo("kim"));
    }

    @Test
    void hangingRedisTimesOutWith503AndTheSessionSurvives() {
        String id = Sessions.put(null, "user", "\"frank\"");
        REDIS.pause();
        try {
            given().cookie("JSESSIONID", id).get("/s/attr/user").then().statusCode(503)
                    .body("message", containsString("no answer within 1000 ms"));
            given().get("/s/ping").then().statusCode(200);
        } finally {
            REDIS.resume();
        }
        given().cookie("JSESSIONID", id).get("/s/attr/user").then().statusCode(200).body("value", equalTo("frank"));
    }
}
