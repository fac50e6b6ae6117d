package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The two settings that differ from the defaults, in one app: {@code save-mode=on-set} saves only what
 * {@code setAttribute} changed, and {@code touch-interval=0} writes the access time on every request.
 */
class OnSetAndTouchEveryRequestTest {

    static final RedisServer REDIS = TestRedis.standalone();
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionServlet.class, Sessions.class)
            .overrideConfigKey("quarkus.redis-session.tenant.default", "on-set")
            .overrideConfigKey("quarkus.redis-session.save-mode", "on-set")
            .overrideConfigKey("quarkus.redis-session.touch-interval", "0");

    @Test
    void onSetIgnoresChangesMadeInPlace() throws Exception {
        String id = Sessions.put(null, "cart", "[\"apple\"]");
        given().cookie("JSESSIONID", id).body("\"pear\"").post("/s/append/cart").then().statusCode(204);
        assertEquals(JSON.readTree("[\"apple\"]"), stored(id).get("cart"), "no setAttribute, nothing saved");
    }

    @Test
    void everyRequestWritesItsAccessTimeAndSeesThePreviousOne() throws Exception {
        String id = Sessions.put(null, "a", "1");
        Sessions.put(id, "b", "2"); // loads the write script into Redis, so the read below costs EVALSHA only
        Instant created = Instant.parse(stored(id).get("last_accessed_at").textValue());
        // Millisecond times: make sure the next request starts at a later one than the creation.
        Poll.until(java.time.Duration.ofSeconds(5), "the clock to move on", () -> Instant.now().isAfter(created.plusMillis(1)));

        REDIS.resetStats();
        long first = given().cookie("JSESSIONID", id).get("/s/meta").jsonPath().getLong("lastAccessed");
        assertEquals(created.toEpochMilli(), first, "the previous request");
        assertEquals(Map.of("getex", 1L, "evalsha", 1L, "get", 1L, "set", 1L), TestApps.sessionCommands(REDIS),
                "touch-interval=0: a read writes its access time");
        Instant touched = Instant.parse(stored(id).get("last_accessed_at").textValue());
        assertEquals(true, touched.isAfter(created), touched + " after " + created);

        long second = given().cookie("JSESSIONID", id).get("/s/meta").jsonPath().getLong("lastAccessed");
        assertEquals(touched.toEpochMilli(), second, "the previous read");
    }

    static JsonNode stored(String id) throws Exception {
        return JSON.readTree(REDIS.cli("GET", "session:on-set:" + id));
    }
}
