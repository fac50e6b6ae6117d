package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * Tenant from a header, through a named Redis client (no default client is configured at all).
 */
class TenantTest {

    static final RedisServer REDIS = TestRedis.standalone();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(SessionServlet.class)
            .overrideConfigKey("quarkus.redis-session.client-name", "sessions")
            .overrideConfigKey("quarkus.redis.sessions.hosts", REDIS.uri())
            .overrideConfigKey("quarkus.redis-session.key-prefix", "tt:")
            .overrideConfigKey("quarkus.redis-session.tenant.strategy", "header")
            .overrideConfigKey("quarkus.redis-session.tenant.header", "X-Tenant-Id")
            .overrideConfigKey("quarkus.redis-session.tenant.default", "public")
            .setLogRecordPredicate(r -> r.getLoggerName().startsWith("io.undertow"))
            .assertLogRecords(records -> assertEquals(List.of(), records.stream().map(r -> r.getMessage()).toList(),
                    "a bad tenant is the client's error: no Undertow error lines"));

    @Test
    void sessionsLiveUnderTheirTenantAndAreNotFoundUnderAnother() {
        String id = create("acme");
        assertEquals("string", REDIS.cli("TYPE", "tt:acme:" + id));
        given().header("X-Tenant-Id", "acme").cookie("JSESSIONID", id).get("/s/attr/who").then().statusCode(200)
                .body("value", equalTo("acme-user"));
        given().header("X-Tenant-Id", "acme2").cookie("JSESSIONID", id).get("/s/attr/who").then().statusCode(401);
        given().cookie("JSESSIONID", id).get("/s/attr/who").then().statusCode(401);
    }

    @Test
    void withoutTheHeaderTheDefaultTenantIsUsed() {
        String id = create(null);
        assertEquals("string", REDIS.cli("TYPE", "tt:public:" + id));
    }

    @Test
    void invalidTenantIsA400WithoutAnyRedisCommand() {
        String id = create("acme");
        for (String bad : new String[] { "bad*tenant", "a:b", "x".repeat(65), "ten ant", "[ab]", "é" }) {
            REDIS.resetStats();
            given().header("X-Tenant-Id", bad).cookie("JSESSIONID", id).get("/s/attr/who").then().statusCode(400)
                    .body("error", equalTo("invalid_tenant")).body("message", containsString("Invalid tenant id"));
            given().header("X-Tenant-Id", bad).body("1").put("/s/attr/x").then().statusCode(400);
            assertEquals(Map.of(), TestApps.sessionCommands(REDIS), "no Redis command for tenant " + bad);
        }
        // Requests that never touch their session are not affected by the tenant at all.
        given().header("X-Tenant-Id", "bad*tenant").get("/s/ping").then().statusCode(200);
    }

    @Test
    void twoTenantHeadersAreA400WithoutAnyRedisCommand() {
        String id = create("acme");
        REDIS.resetStats();
        // A client's header first and a gateway's appended one: the client must not get to choose.
        given().header("X-Tenant-Id", "evil").header("X-Tenant-Id", "acme").cookie("JSESSIONID", id)
                .get("/s/attr/who").then().statusCode(400).body("error", equalTo("invalid_tenant"))
                .body("message", containsString("2 X-Tenant-Id headers: send exactly one"));
        assertEquals(Map.of(), TestApps.sessionCommands(REDIS));
    }

    private static String create(String tenant) {
        var request = given().body("\"" + (tenant == null ? "public" : tenant) + "-user\"");
        if (tenant != null) {
            request.header("X-Tenant-Id", tenant);
        }
        Response response = request.put("/s/attr/who");
        response.then().statusCode(204);
        return response.getCookie("JSESSIONID");
    }
}
