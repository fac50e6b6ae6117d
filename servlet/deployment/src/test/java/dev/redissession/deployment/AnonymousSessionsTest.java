package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Sessions without {@code user_id} under their own limits: 16K and a 10-minute idle timeout by default until a request
 * sets {@code user_id} (which may grow the session to the normal limits in that same request), and a per-address
 * creation rate limit answered 429 with {@code Retry-After}. Behind proxy forwarding, so each test is its own client
 * address ({@code X-Forwarded-For}).
 */
class AnonymousSessionsTest {

    static final RedisServer REDIS = TestRedis.standalone();
    static final String PREFIX = "anon:default:";
    static final String BIG = "\"" + "x".repeat(20_000) + "\"";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionServlet.class, Sessions.class)
            .overrideConfigKey("quarkus.redis-session.key-prefix", "anon:")
            .overrideConfigKey("quarkus.redis-session.anonymous.creations-per-minute", "3")
            .overrideConfigKey("quarkus.http.proxy.proxy-address-forwarding", "true")
            .overrideConfigKey("quarkus.http.proxy.allow-x-forwarded", "true");

    static RequestSpecification from(String address) {
        return given().header("X-Forwarded-For", address);
    }

    @Test
    void anAnonymousSessionOver16KIsRefusedWhileASignedInOneMayBeBigger() {
        Response refused = from("10.0.1.1").body(BIG).put("/s/attr/cart");
        refused.then().statusCode(413).contentType("application/json").body("error", equalTo("session_too_large"))
                .body("message", containsString("quarkus.redis-session.anonymous.max-size (16384 bytes) for a "
                        + "session without user_id"));
        assertNull(refused.getCookie("JSESSIONID"), "nothing was stored");

        String id = from("10.0.1.1").body("\"small\"").put("/s/attr/cart").getCookie("JSESSIONID");
        from("10.0.1.1").cookie("JSESSIONID", id).body(BIG).put("/s/attr/more").then().statusCode(413);
        from("10.0.1.1").cookie("JSESSIONID", id).body(BIG).put("/s/login/u-1").then().statusCode(204);
        assertTrue(REDIS.cli("STRLEN", PREFIX + id).compareTo("20000") > 0, "the login request grew it");
        from("10.0.1.1").cookie("JSESSIONID", id).body(BIG).put("/s/attr/more").then().statusCode(204);
    }

    @Test
    void anAnonymousSessionLivesTheAnonymousIdleTimeoutUntilSignIn() {
        String id = from("10.0.2.1").body("1").put("/s/attr/a").getCookie("JSESSIONID");
        assertTtlAbout(id, 600_000);
        from("10.0.2.1").cookie("JSESSIONID", id).body("2").put("/s/attr/b").then().statusCode(204);
        assertTtlAbout(id, 600_000);
        from("10.0.2.1").cookie("JSESSIONID", id).body("\"u-2\"").put("/s/attr/user_id").then().statusCode(204);
        assertTtlAbout(id, 1_800_000);
    }

    @Test
    void creationsOverTheRateOfOneAddressAre429AndOtherAddressesAreNot() {
        for (int i = 0; i < 3; i++) {
            from("10.0.3.1").body("1").put("/s/attr/a").then().statusCode(204);
        }
        int before = Integer.parseInt(REDIS.cli("DBSIZE"));
        Response limited = from("10.0.3.1").body("1").put("/s/attr/a");
        limited.then().statusCode(429).contentType("application/json").body("error", equalTo("too_many_sessions"))
                .body("message", containsString("quarkus.redis-session.anonymous.creations-per-minute"));
        long retryAfter = Long.parseLong(limited.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "seconds until the minute ends: " + retryAfter);
        assertNull(limited.getCookie("JSESSIONID"));
        assertEquals(before, Integer.parseInt(REDIS.cli("DBSIZE")), "the refused session was not written");

        from("10.0.3.2").body("1").put("/s/attr/a").then().statusCode(204);
        from("10.0.3.1").body("\"u-3\"").put("/s/attr/user_id").then().statusCode(204);
    }

    private static void assertTtlAbout(String id, long millis) {
        long ttl = Long.parseLong(REDIS.cli("PTTL", PREFIX + id));
        assertTrue(ttl > millis - 60_000 && ttl <= millis, "TTL " + ttl + " ms, expected about " + millis);
    }
}
