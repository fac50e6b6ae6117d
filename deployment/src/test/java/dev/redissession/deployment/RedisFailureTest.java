package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Redis stopped or hanging: requests that need their session get 503 (the log line names the Redis address, the
 * response does not), the others are served, and service resumes by itself once Redis answers again. Uses its own server, since it stops it.
 */
class RedisFailureTest {

    static final RedisServer REDIS = TestRedis.dedicated("redis-failure-test");

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionServlet.class, Sessions.class)
            .overrideConfigKey("quarkus.redis-session.timeout", "1S")
            .setLogRecordPredicate(r -> r.getLoggerName().startsWith("dev.redissession"))
            .assertLogRecords(records -> assertTrue(records.stream()
                    .map(r -> String.format(r.getMessage(), r.getParameters()))
                    .anyMatch(line -> line.contains("Redis session store at " + REDIS.uri() + " failed GETEX")),
                    "an error line names the Redis address"));

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
            given().body("1").put("/s/attr/new").then().statusCode(503);
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
