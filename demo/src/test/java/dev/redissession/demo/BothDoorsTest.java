package dev.redissession.demo;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redissession.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * One session through both doors of the demo: servlets ({@code /demo/...}) and quarkus-rest resources
 * ({@code /api/...}) read and change the same session through the same cookie, in either order.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class BothDoorsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aServletSessionIsReadAndChangedByQuarkusRestAndTheOtherWayRound() throws Exception {
        Response login = given().header("X-Tenant-Id", "doors").body("{\"user_id\":\"u-doors\"}").post("/demo/login");
        login.then().statusCode(200);
        String id = login.getCookie("JSESSIONID");

        assertEquals("1", given().header("X-Tenant-Id", "doors").cookie("JSESSIONID", id).post("/demo/counter").asString());
        Response viaRest = given().header("X-Tenant-Id", "doors").cookie("JSESSIONID", id).post("/api/counter");
        assertEquals("2", viaRest.asString());
        assertNull(viaRest.header("Set-Cookie"), "the same session: no new id");
        assertEquals("3", given().header("X-Tenant-Id", "doors").cookie("JSESSIONID", id).post("/demo/counter").asString());

        JsonNode servlet = json(given().header("X-Tenant-Id", "doors").cookie("JSESSIONID", id).get("/demo/me"));
        JsonNode rest = json(given().header("X-Tenant-Id", "doors").cookie("JSESSIONID", id).get("/api/me"));
        assertEquals(servlet, rest);
        assertEquals(servlet, json(given().header("X-Tenant-Id", "doors").cookie("JSESSIONID", id).get("/api/reactive/me")),
                "the non-blocking endpoint answers the same");
        assertEquals("u-doors", rest.path("user_id").asText());
        assertEquals(3, rest.path("counter").asInt());
    }

    @Test
    void aSessionCreatedByQuarkusRestIsTheServletsToo() throws Exception {
        Response created = given().post("/api/counter");
        assertEquals("1", created.asString());
        String id = created.getCookie("JSESSIONID");
        assertNotNull(id, "the quarkus-rest door sets the same cookie");
        assertEquals(1, json(given().cookie("JSESSIONID", id).get("/demo/me")).path("counter").asInt());
        given().cookie("JSESSIONID", id).post("/demo/logout").then().statusCode(204);
        given().cookie("JSESSIONID", id).get("/api/me").then().statusCode(401);
    }

    private static JsonNode json(Response response) throws Exception {
        response.then().statusCode(200);
        return JSON.readTree(response.asString());
    }
}
