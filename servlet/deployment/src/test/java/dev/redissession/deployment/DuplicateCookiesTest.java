package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * Several session cookies in one request (a sibling subdomain's or a longer path's sent first, or one planted for
 * cookie tossing): the first whose session exists is the request's, and the others never make a new session replace
 * the user's cookie; at most three are tried.
 */
class DuplicateCookiesTest {

    static final RedisServer REDIS = TestRedis.standalone();
    static final String STALE = "s".repeat(32);

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionServlet.class, Sessions.class)
            .overrideConfigKey("quarkus.redis-session.key-prefix", "dup:");

    @Test
    void theFirstCookieWhoseSessionExistsIsUsedAndNoNewSessionReplacesIt() {
        String id = Sessions.put(null, "user", "\"kim\"");
        String cookies = "JSESSIONID=" + STALE + "; theme=dark; JSESSIONID=" + id;
        given().header("Cookie", cookies).get("/s/attr/user").then().statusCode(200);
        Response write = given().header("Cookie", cookies).body("\"lee\"").put("/s/attr/user");
        write.then().statusCode(204);
        assertNull(write.header("Set-Cookie"), "the user's session was found: no new one, no cookie");
        given().cookie("JSESSIONID", id).get("/s/attr/user").then().statusCode(200);
        assertEquals("0", REDIS.cli("EXISTS", "dup:default:" + STALE));
    }

    @Test
    void aFloodOfCookiesCostsAtMostThreeLookups() {
        StringBuilder cookies = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            cookies.append("JSESSIONID=").append(String.format("%032d", i)).append("; ");
        }
        Map<String, Long> before = TestApps.sessionCommands(REDIS);
        given().header("Cookie", cookies.toString()).get("/s/attr/user").then().statusCode(401);
        long lookups = TestApps.sessionCommands(REDIS).getOrDefault("getex", 0L) - before.getOrDefault("getex", 0L);
        assertEquals(3, lookups);
    }
}
