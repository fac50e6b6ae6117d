package dev.redissession.rest.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.deployment.TestApps;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * {@code transport=cookie-or-header} with a header name of its own: both are accepted, and each answer uses the one
 * its request came with (both for a first request); a malformed header value names no session.
 */
class CookieOrHeaderTest {

    static final RedisServer REDIS = TestRedis.standalone();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionResource.class)
            .overrideConfigKey("quarkus.redis-session.key-prefix", "either:")
            .overrideConfigKey("quarkus.redis-session.transport", "cookie-or-header")
            .overrideConfigKey("quarkus.redis-session.header-name", "X-Auth-Session");

    @Test
    void aFirstRequestLearnsItsIdBothWaysAndLaterAnswersUseTheWayTheRequestCame() {
        Response created = given().body("1").put("/r/attr/x");
        String id = created.header("X-Auth-Session");
        assertNotNull(id);
        assertEquals(id, created.getCookie("JSESSIONID"), "a first request gets both");

        assertEquals("1", given().header("X-Auth-Session", id).get("/r/attr/x").asString());
        assertEquals("1", given().cookie("JSESSIONID", id).get("/r/attr/x").asString());

        Response viaHeader = given().header("X-Auth-Session", id).post("/r/rotate");
        String next = viaHeader.header("X-Auth-Session");
        assertNotEquals(id, next);
        assertNull(viaHeader.header("Set-Cookie"), "a header client gets its new id in the header only");

        Response viaCookie = given().cookie("JSESSIONID", next).post("/r/rotate");
        assertNull(viaCookie.header("X-Auth-Session"), "a cookie client gets its new id in the cookie only");
        assertNotNull(viaCookie.getCookie("JSESSIONID"));
    }

    @Test
    void aMalformedHeaderNamesNoSessionAndCostsNoRedisCommand() {
        Map<String, Long> before = TestApps.sessionCommands(REDIS);
        given().header("X-Auth-Session", "not an id*").get("/r/attr/x").then().statusCode(401);
        given().header("X-Auth-Session", "short").get("/r/attr/x").then().statusCode(401);
        assertEquals(before, TestApps.sessionCommands(REDIS));
    }
}
