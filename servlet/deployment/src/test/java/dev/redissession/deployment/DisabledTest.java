package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/** {@code quarkus.redis-session.enabled=false} leaves Undertow's in-memory sessions in place. */
class DisabledTest {

    static final RedisServer REDIS = TestRedis.standalone();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionServlet.class, Sessions.class)
            .overrideConfigKey("quarkus.redis-session.enabled", "false");

    @Test
    void sessionsStayInMemory() {
        REDIS.resetStats();
        String id = Sessions.put(null, "user", "\"heidi\"");
        given().cookie("JSESSIONID", id).get("/s/attr/user").then().statusCode(200).body("value", equalTo("heidi"));
        assertEquals(0L, REDIS.commandCalls("set") + REDIS.commandCalls("getex"));
        assertEquals("0", REDIS.cli("EXISTS", "session:default:" + id));
    }
}
