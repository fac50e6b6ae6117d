package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * {@code transport=header} on the servlet door: the id travels in {@code X-Session-Id} only (the same core transport
 * the REST door uses); a cookie is neither read nor sent.
 */
class HeaderTransportTest {

    static final RedisServer REDIS = TestRedis.standalone();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionServlet.class)
            .overrideConfigKey("quarkus.redis-session.key-prefix", "header:")
            .overrideConfigKey("quarkus.redis-session.transport", "header");

    @Test
    void theIdTravelsInTheHeaderOnlyAndMovesWithRotation() {
        Response created = given().body("1").put("/s/attr/x");
        String id = created.header("X-Session-Id");
        assertNotNull(id, "a new session's id is in the header");
        assertNull(created.header("Set-Cookie"), "no cookie with transport=header");
        assertEquals("1", REDIS.cli("EXISTS", "header:default:" + id));

        given().header("X-Session-Id", id).get("/s/attr/x").then().statusCode(200);
        given().cookie("JSESSIONID", id).get("/s/attr/x").then().statusCode(401);

        Response rotated = given().header("X-Session-Id", id).post("/s/rotate");
        String next = rotated.header("X-Session-Id");
        assertNotEquals(id, next);
        given().header("X-Session-Id", next).get("/s/attr/x").then().statusCode(200);
        given().header("X-Session-Id", id).get("/s/attr/x").then().statusCode(401);

        Response ended = given().header("X-Session-Id", next).post("/s/invalidate");
        assertEquals("", ended.header("X-Session-Id"), "an ended session is answered with an empty id");
        assertEquals("0", REDIS.cli("EXISTS", "header:default:" + next));
    }
}
