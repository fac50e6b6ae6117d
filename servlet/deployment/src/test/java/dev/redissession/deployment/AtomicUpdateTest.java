package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * Read-modify-write of one attribute: {@code ServletSessions.update} is applied again to the newer value after a
 * conflict, so parallel updates lose nothing, while a plain set keeps last-writer-wins by default; a function that
 * throws changes nothing; the store writes the seed field {@code tenant_id} itself and refuses another tenant's.
 */
class AtomicUpdateTest {

    static final RedisServer REDIS = TestRedis.standalone();
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionServlet.class, Sessions.class)
            .overrideConfigKey("quarkus.redis-session.key-prefix", "atomic:");

    private static JsonNode stored(String id) throws Exception {
        return JSON.readTree(REDIS.cli("GET", "atomic:default:" + id));
    }

    @Test
    void fortyParallelUpdatesOfOneAttributeLeaveForty() throws Exception {
        String id = Sessions.put(null, "other", "0");
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            List<CompletableFuture<Integer>> increments = IntStream.range(0, 40)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> given().cookie("JSESSIONID", id)
                            .post("/s/increment/n").statusCode(), pool))
                    .toList();
            for (CompletableFuture<Integer> increment : increments) {
                assertEquals(200, increment.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(40, stored(id).get("n").intValue(), "every update counted: " + stored(id));
    }

    @Test
    void anUpdateThatLostTheRaceIsComputedAgainFromTheWinnersValueForOneMoreRoundTrip() throws Exception {
        for (String script : TestApps.storeScripts()) {
            REDIS.cli("SCRIPT", "LOAD", script); // so no write takes the NOSCRIPT detour
        }
        String id = Sessions.put(null, "n", "10");
        java.util.Map<String, Long> before = TestApps.sessionCommands(REDIS);
        Sessions.interleave(() -> given().cookie("JSESSIONID", id).post("/s/increment/n?hold=held"),
                () -> assertEquals("11", given().cookie("JSESSIONID", id).post("/s/increment/n").asString()))
                .then().statusCode(200);
        assertEquals(12, stored(id).get("n").intValue(), "the late update applied to 11, not to the 10 it read");
        java.util.Map<String, Long> after = TestApps.sessionCommands(REDIS);
        // Two requests: a GETEX each, the winner's write, the loser's write that met the conflict and its retry.
        assertEquals(2, after.get("getex") - before.getOrDefault("getex", 0L), "reads");
        assertEquals(3, after.get("evalsha") - before.getOrDefault("evalsha", 0L), "writes: one more for the retry");
    }

    @Test
    void aPlainSetOfTheSameAttributeIsLastWriterWinsByDefault() throws Exception {
        String id = Sessions.put(null, "counter", "10");
        Sessions.interleave(() -> given().cookie("JSESSIONID", id).post("/s/counter?hold=held"),
                () -> given().cookie("JSESSIONID", id).post("/s/counter").then().statusCode(200))
                .then().statusCode(200);
        assertEquals(11, stored(id).get("counter").intValue(), "last writer wins: one of the two increments is lost");
    }

    @Test
    void aFunctionThatThrowsChangesNothing() throws Exception {
        String id = Sessions.put(null, "n", "5");
        String before = REDIS.cli("GET", "atomic:default:" + id);
        Response refused = given().cookie("JSESSIONID", id).post("/s/refuse/n");
        assertEquals(500, refused.statusCode(), "the application's own error");
        assertNull(refused.header("Set-Cookie"));
        assertEquals(before, REDIS.cli("GET", "atomic:default:" + id));
    }

    @Test
    void theStoreWritesTheTenantAndRefusesAnother() throws Exception {
        String id = Sessions.put(null, "x", "1");
        assertEquals("default", stored(id).get("tenant_id").textValue(), "tenant_id without the application: "
                + stored(id));
        Response other = given().cookie("JSESSIONID", id).body("\"acme\"").put("/s/attr/tenant_id");
        assertEquals(422, other.statusCode());
        assertTrue(other.asString().contains("tenant_id must be the session's tenant 'default'"), other.asString());
        given().cookie("JSESSIONID", id).body("\"default\"").put("/s/attr/tenant_id").then().statusCode(204);
        String rotated = given().cookie("JSESSIONID", id).post("/s/rotate").jsonPath().getString("id");
        assertEquals("default", stored(rotated).get("tenant_id").textValue());
    }
}
