package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The tenant is the label of the Host name before an allowed parent domain; an IP address names none, a Host outside
 * the allowed domains is refused.
 */
class HostTenantTest {

    static final RedisServer REDIS = TestRedis.standalone();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionServlet.class)
            .overrideConfigKey("quarkus.redis-session.key-prefix", "host:")
            .overrideConfigKey("quarkus.redis-session.tenant.strategy", "host")
            .overrideConfigKey("quarkus.redis-session.tenant.default", "no-host")
            .overrideConfigKey("quarkus.redis-session.tenant.host-suffixes", "example.com,example.org");

    @Test
    void firstLabelOfTheHostName() {
        String id = given().header("Host", "umbrella.example.com").body("1").put("/s/attr/x").getCookie("JSESSIONID");
        assertEquals("string", REDIS.cli("TYPE", "host:umbrella:" + id));
        given().header("Host", "other.example.com").cookie("JSESSIONID", id).get("/s/attr/x").then().statusCode(401);
        // Host names are case-insensitive, tenants are not: one tenant whatever the case the client typed.
        given().header("Host", "UMBRELLA.Example.com").cookie("JSESSIONID", id).get("/s/attr/x").then()
                .statusCode(200);
    }

    @Test
    void aHostOutsideTheAllowedDomainsIsRefused() {
        for (String host : new String[] { "umbrella.evil.com", "umbrella.example.com.evil.com", "a.b.example.com",
                "example.com" }) {
            given().header("Host", host).body("1").put("/s/attr/x").then().statusCode(400)
                    .body("error", org.hamcrest.Matchers.equalTo("invalid_tenant"))
                    .body("message", org.hamcrest.Matchers.containsString("quarkus.redis-session.tenant.host-suffixes"));
        }
        String id = given().header("Host", "initech.example.org").body("1").put("/s/attr/x").getCookie("JSESSIONID");
        assertEquals("string", REDIS.cli("TYPE", "host:initech:" + id));
    }

    @Test
    void anIpAddressUsesTheDefaultTenant() {
        String id = given().header("Host", "127.0.0.1").body("1").put("/s/attr/x").getCookie("JSESSIONID");
        assertEquals("string", REDIS.cli("TYPE", "host:no-host:" + id));
    }
}
