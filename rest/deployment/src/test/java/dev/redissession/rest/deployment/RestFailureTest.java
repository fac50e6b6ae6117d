package dev.redissession.rest.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.deployment.TestApps;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * What the REST door answers when the store fails: the servlet door's statuses and JSON, from blocking and reactive
 * endpoints alike, and a hung Redis never blocks an event loop (Vert.x would log it: its limit is lowered here far
 * below the store's deadline). Uses its own server, since it stops it.
 */
class RestFailureTest {

    static final RedisServer REDIS = TestRedis.dedicated("rest-failure-test");

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionResource.class)
            .overrideConfigKey("quarkus.redis-session.timeout", "1S")
            .overrideConfigKey("quarkus.redis-session.max-size", "2K")
            .overrideConfigKey("quarkus.redis-session.tenant.strategy", "header")
            .overrideConfigKey("quarkus.vertx.max-event-loop-execute-time", "300ms")
            .overrideConfigKey("quarkus.vertx.warning-exception-time", "300ms")
            .setLogRecordPredicate(r -> r.getLoggerName().contains("BlockedThreadChecker"))
            .assertLogRecords(records -> assertTrue(records.isEmpty(), "an event loop was blocked: "
                    + records.stream().map(r -> r.getMessage()).toList()));

    @AfterAll
    static void stopRedis() {
        REDIS.stop();
    }

    @Test
    void aChangeOverTheSizeLimitIs413AndWritesNothing() {
        String id = given().body("x".repeat(1200)).put("/r/text/a").getCookie("JSESSIONID");
        Response refused = given().cookie("JSESSIONID", id).body("y".repeat(1200)).put("/r/text/b");
        refused.then().statusCode(413).contentType("application/json").body("error", equalTo("session_too_large"));
        assertNull(refused.header("Set-Cookie"));
        assertTrue(!REDIS.cli("GET", "session:default:" + id).contains("yyyy"), "nothing of the refused change");
    }

    @Test
    void anInvalidTenantIs400WithoutARedisCommand() {
        Map<String, Long> before = TestApps.sessionCommands(REDIS);
        given().header("X-Tenant-Id", "bad*tenant").body("1").put("/r/attr/x").then().statusCode(400)
                .contentType("application/json").body("error", equalTo("invalid_tenant"))
                .body("message", containsString("X-Tenant-Id"));
        given().header("X-Tenant-Id", "bad*tenant").cookie("JSESSIONID", "a".repeat(32)).get("/r/reactive/attr/x")
                .then().statusCode(400).body("error", equalTo("invalid_tenant"));
        assertEquals(before, TestApps.sessionCommands(REDIS));
    }

    @Test
    void aHungRedisIs503OnTheDeadlineAndBlocksNoEventLoop() {
        String id = given().body("1").put("/r/attr/x").getCookie("JSESSIONID");
        REDIS.cli("CLIENT", "PAUSE", "2500", "ALL");
        try {
            given().cookie("JSESSIONID", id).get("/r/reactive/attr/x").then().statusCode(503)
                    .header("Retry-After", "1").body("error", equalTo("session_store_unavailable"))
                    .body("message", containsString("no answer within 1000 ms"));
            given().cookie("JSESSIONID", id).get("/r/untouched").then().statusCode(200);
        } finally {
            REDIS.cli("CLIENT", "UNPAUSE");
        }
    }

    @Test
    void aStoppedRedisIs503ForBlockingAndReactiveEndpointsAndServesTheRest() {
        String id = given().body("1").put("/r/attr/x").getCookie("JSESSIONID");
        REDIS.stop();
        try {
            given().cookie("JSESSIONID", id).get("/r/attr/x").then().statusCode(503).header("Retry-After", "1")
                    .contentType("application/json").body("error", equalTo("session_store_unavailable"))
                    .body("message", containsString("Nothing was changed"));
            given().cookie("JSESSIONID", id).get("/r/reactive/attr/x").then().statusCode(503)
                    .body("error", equalTo("session_store_unavailable"));
            Response created = given().body("1").put("/r/attr/new");
            created.then().statusCode(503).body("error", equalTo("session_store_unavailable"));
            assertNull(created.header("Set-Cookie"), "no cookie for a session never stored");
            given().cookie("JSESSIONID", id).get("/r/untouched").then().statusCode(200);
        } finally {
            REDIS.restart();
        }
        String fresh = given().body("2").put("/r/attr/x").getCookie("JSESSIONID");
        assertEquals("2", given().cookie("JSESSIONID", fresh).get("/r/attr/x").asString());
    }
}
