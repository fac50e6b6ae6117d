package dev.redissession.rest.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.deployment.TestApps;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * The REST door answers the anonymous limits as the servlet door does: 413 over {@code anonymous.max-size}, 429 with
 * {@code Retry-After} over {@code anonymous.creations-per-minute} for one forwarded client address, not for another.
 */
class RestAnonymousSessionsTest {

    static final RedisServer REDIS = TestRedis.standalone();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionResource.class)
            .overrideConfigKey("quarkus.redis-session.key-prefix", "rest-anon:")
            .overrideConfigKey("quarkus.redis-session.anonymous.max-size", "2K")
            .overrideConfigKey("quarkus.redis-session.anonymous.creations-per-minute", "1")
            .overrideConfigKey("quarkus.http.proxy.proxy-address-forwarding", "true")
            .overrideConfigKey("quarkus.http.proxy.allow-x-forwarded", "true");

    @Test
    void anAnonymousSessionOverItsLimitIs413() {
        given().header("X-Forwarded-For", "10.1.1.1").body("x".repeat(3000)).put("/r/text/a").then().statusCode(413)
                .contentType("application/json").body("message", containsString("anonymous.max-size (2048 bytes)"));
    }

    @Test
    void creationsOverTheRateOfOneAddressAre429() {
        given().header("X-Forwarded-For", "10.1.2.1").body("1").put("/r/attr/a").then().statusCode(200);
        Response limited = given().header("X-Forwarded-For", "10.1.2.1").body("1").put("/r/attr/a");
        limited.then().statusCode(429).contentType("application/json").body("error", equalTo("too_many_sessions"));
        long retryAfter = Long.parseLong(limited.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertNull(limited.getCookie("JSESSIONID"));
        given().header("X-Forwarded-For", "10.1.2.2").body("1").put("/r/attr/a").then().statusCode(200);
    }
}
