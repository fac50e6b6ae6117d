package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * Several session cookies in one request (a sibling subdomain's or a longer path's sent first, or one planted for
 * cookie tossing): the first whose session exists is the request's, and the others never make a new session replace
 * the user's cookie; at most three are tried. More cookies than Undertow parses (200), read by the application
 * ({@code getCookies()}), made Undertow answer 500 with an HTML page and log a stack trace per request: they are a
 * 400 JSON answer and one log line for the storm.
 */
class DuplicateCookiesTest {

    static final RedisServer REDIS = TestRedis.standalone();
    static final String STALE = "s".repeat(32);

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionServlet.class, Sessions.class)
            .overrideConfigKey("quarkus.redis-session.key-prefix", "dup:")
            .setLogRecordPredicate(record -> record.getLevel().intValue() >= Level.WARNING.intValue())
            .assertLogRecords(records -> assertEquals(1, records.stream()
                    .filter(r -> String.valueOf(r.getMessage()).contains("cookies") || r.getThrown() != null).count(),
                    "one line for five refused requests: "
                            + records.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList()));

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

    @Test
    void moreThan200CookiesAre400JsonWithOneLogLine() {
        given().header("Cookie", cookies(200)).get("/s/cookies").then().statusCode(200).body(equalTo("200"));
        for (int i = 0; i < 5; i++) {
            given().header("Cookie", cookies(201)).get("/s/cookies").then().statusCode(400)
                    .contentType("application/json").body("error", equalTo("too_many_cookies"))
                    .body("message", containsString("delete this site's cookies"));
        }
    }

    private static String cookies(int count) {
        StringBuilder cookies = new StringBuilder();
        for (int i = 0; i < count; i++) {
            cookies.append("c").append(i).append("=v; ");
        }
        return cookies.toString();
    }
}
