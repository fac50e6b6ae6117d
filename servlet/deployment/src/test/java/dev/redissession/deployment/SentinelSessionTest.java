package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/** Through a real Sentinel: the client asks it for the master, and sessions live there. */
class SentinelSessionTest {

    static final RedisServer MASTER = TestRedis.sentinelMaster();
    static final RedisServer SENTINEL = TestRedis.sentinel();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(SessionServlet.class, Sessions.class)
            .overrideConfigKey("quarkus.redis.hosts", SENTINEL.uri())
            .overrideConfigKey("quarkus.redis.client-type", "sentinel")
            .overrideConfigKey("quarkus.redis.master-name", TestRedis.SENTINEL_MASTER)
            .overrideConfigKey("quarkus.redis.role", "master")
            .overrideConfigKey("quarkus.redis-session.tenant.default", "sentinel-test");

    @Test
    void sessionsLiveOnTheMasterTheSentinelNames() {
        String id = Sessions.put(null, "user", "\"ivan\"");
        Sessions.put(id, "lang", "\"de\"");
        assertEquals("string", MASTER.cli("TYPE", "session:sentinel-test:" + id));
        given().cookie("JSESSIONID", id).get("/s/all").then().statusCode(200)
                .body("user", equalTo("ivan")).body("lang", equalTo("de"));
        String fresh = given().cookie("JSESSIONID", id).post("/s/rotate").then().statusCode(200).extract()
                .cookie("JSESSIONID");
        assertEquals("0", MASTER.cli("EXISTS", "session:sentinel-test:" + id));
        given().cookie("JSESSIONID", fresh).get("/s/attr/user").then().statusCode(200).body("value", equalTo("ivan"));
        given().cookie("JSESSIONID", fresh).post("/s/invalidate").then().statusCode(204);
        assertEquals("0", MASTER.cli("EXISTS", "session:sentinel-test:" + fresh));
    }
}
