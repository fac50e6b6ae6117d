package dev.redissession.it.classic;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.redissession.testing.RedisTestResource;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A RESTEasy Classic application builds and runs with the core extension (it used to fail with "only one provider
 * of capability io.quarkus.rest"), and its sessions round-trip through a real Redis.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class ResteasyClassicTest {

    @Test
    void theSessionRoundTripsThroughRedisAndIsSharedWithJaxRs() {
        String id = given().post("/visit").then().statusCode(200).body(equalTo("1")).extract().cookie("JSESSIONID");
        assertNotNull(id, "the first visit creates a session");
        String key = "session:default:" + id;
        assertEquals("1", TestRedis.standalone().cli("EXISTS", key), "the session is stored in Redis as " + key);

        given().cookie("JSESSIONID", id).post("/visit").then().statusCode(200).body(equalTo("2"));
        assertTrue(TestRedis.standalone().cli("GET", key).contains("\"visits\":2"),
                "Redis holds the second visit: " + TestRedis.standalone().cli("GET", key));
        given().cookie("JSESSIONID", id).get("/api/visits").then().statusCode(200).body(equalTo("2"));
        given().get("/api/visits").then().statusCode(200).body(equalTo("0"));
    }

    /** The core extension must not bring Quarkus REST (RESTEasy Reactive) back in beside RESTEasy Classic. */
    @Test
    void theOnlyRestStackIsRestEasyClassic() {
        assertTrue(loadable("org.jboss.resteasy.core.SynchronousDispatcher"), "RESTEasy Classic serves /api");
        assertFalse(loadable("org.jboss.resteasy.reactive.server.core.Deployment"),
                "Quarkus REST is on the class path: something brought quarkus-rest in");
    }

    private static boolean loadable(String className) {
        try {
            Class.forName(className, false, Thread.currentThread().getContextClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
