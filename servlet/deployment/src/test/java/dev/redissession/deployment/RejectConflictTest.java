package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * {@code same-attribute-conflict=reject}: a plain set of an attribute another request changed since this one read it
 * writes nothing and is 409 {@code attribute_conflict} naming it, with the winner's value and cookie left alone;
 * different attributes still merge, and atomic updates are computed again rather than refused.
 */
class RejectConflictTest {

    static final RedisServer REDIS = TestRedis.standalone();
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionServlet.class, Sessions.class)
            .overrideConfigKey("quarkus.redis-session.key-prefix", "reject:")
            .overrideConfigKey("quarkus.redis-session.same-attribute-conflict", "reject");

    private static JsonNode stored(String id) throws Exception {
        return JSON.readTree(REDIS.cli("GET", "reject:default:" + id));
    }

    /** A PUT to {@code path} that reads the session, then waits while {@code winner} runs. */
    private static Response interleave(String id, String path, Runnable winner) throws Exception {
        return Sessions.interleave(() -> given().cookie("JSESSIONID", id).body("7").put(path + "?hold=held"), winner);
    }

    @Test
    void aStaleSetOfTheSameAttributeIs409AndWritesNothing() throws Exception {
        String id = Sessions.put(null, "counter", "1");
        Response loser = interleave(id, "/s/attr/counter", () -> Sessions.put(id, "counter", "2"));
        loser.then().statusCode(409).contentType("application/json").body("error", equalTo("attribute_conflict"))
                .body("message", containsString("'counter'"));
        assertNull(loser.header("Set-Cookie"), "the winner's cookie is not touched");
        assertEquals(2, stored(id).get("counter").intValue(), "the winner's value stands");
    }

    @Test
    void differentAttributesStillMerge() throws Exception {
        String id = Sessions.put(null, "a", "1");
        interleave(id, "/s/attr/b", () -> Sessions.put(id, "c", "3")).then().statusCode(204);
        JsonNode stored = stored(id);
        assertEquals(7, stored.get("b").intValue());
        assertEquals(3, stored.get("c").intValue());
    }

    @Test
    void atomicUpdatesAreComputedAgainNotRefused() throws Exception {
        String id = Sessions.put(null, "n", "1");
        Sessions.interleave(() -> given().cookie("JSESSIONID", id).post("/s/increment/n?hold=held"),
                () -> given().cookie("JSESSIONID", id).post("/s/increment/n").then().statusCode(200))
                .then().statusCode(200);
        assertEquals(3, stored(id).get("n").intValue());
    }
}
