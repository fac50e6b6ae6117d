package dev.redissession.rest.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.deployment.TestApps;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * The REST door on a quarkus-rest application without a servlet container: the injected session in blocking and
 * reactive resources and in a Vert.x route, through the same core as servlets (seed key and JSON, lazy lookup,
 * rotation, invalidation).
 */
class RestSessionTest {

    static final RedisServer REDIS = TestRedis.standalone();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionResource.class, Routes.class, DeclaredRoutes.class)
            .overrideConfigKey("quarkus.redis-session.key-prefix", "rest:");

    @Test
    void thereIsNoServletContainer() {
        assertFalse(isPresent("io.undertow.servlet.api.DeploymentInfo"), "Undertow's servlet API is on the class path");
        assertFalse(isPresent("jakarta.servlet.http.HttpServletRequest"), "the servlet API is on the class path");
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, Thread.currentThread().getContextClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Test
    void aBlockingResourceCreatesReadsAndStoresTheSessionInTheSeedFormat() {
        Response created = given().body("41").put("/r/attr/x");
        created.then().statusCode(200);
        assertEquals("new", created.asString());
        String id = created.getCookie("JSESSIONID");
        String cookie = created.header("Set-Cookie");
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), cookie);
        assertEquals("string", REDIS.cli("TYPE", "rest:default:" + id));
        String json = REDIS.cli("GET", "rest:default:" + id);
        assertTrue(json.contains("\"x\":41") && json.contains("\"created_at\"") && json.contains("\"last_accessed_at\""),
                json);
        long ttl = Long.parseLong(REDIS.cli("TTL", "rest:default:" + id));
        assertTrue(ttl > 500 && ttl <= 600, "anonymous idle timeout as TTL (no user_id): " + ttl);

        Response read = given().cookie("JSESSIONID", id).get("/r/attr/x");
        read.then().statusCode(200);
        assertEquals("41", read.asString());
        assertNull(read.header("Set-Cookie"), "a read sends no cookie");
        assertEquals("existing", given().cookie("JSESSIONID", id).body("42").put("/r/attr/x").asString());
        assertEquals("42", given().cookie("JSESSIONID", id).get("/r/attr/x").asString());
    }

    @Test
    void aRequestThatNeverTouchesItsSessionCostsNoRedisCommandAndReadingCreatesNone() {
        Map<String, Long> before = TestApps.sessionCommands(REDIS);
        Response untouched = given().cookie("JSESSIONID", "a".repeat(32)).get("/r/untouched");
        untouched.then().statusCode(200);
        assertNull(untouched.header("Set-Cookie"));
        assertEquals(before, TestApps.sessionCommands(REDIS), "no Redis command for an untouched session");

        Response read = given().get("/r/attr/x");
        read.then().statusCode(401);
        assertNull(read.header("Set-Cookie"), "reading without a session creates none");
        given().cookie("JSESSIONID", "not*an id").get("/r/attr/x").then().statusCode(401);
        assertEquals(before, TestApps.sessionCommands(REDIS), "no id, or a malformed one: no Redis command");
    }

    @Test
    void aReactiveEndpointLoadsWithoutBlockingTheEventLoop() {
        String id = given().body("7").put("/r/attr/x").getCookie("JSESSIONID");
        assertEquals("7", given().cookie("JSESSIONID", id).get("/r/reactive/attr/x").asString());
        Response first = given().post("/r/reactive/counter");
        assertEquals("1", first.asString());
        String counterId = first.getCookie("JSESSIONID");
        assertEquals("2", given().cookie("JSESSIONID", counterId).post("/r/reactive/counter").asString());
        assertTrue(REDIS.cli("GET", "rest:default:" + counterId).contains("\"counter\":2"));
    }

    @Test
    void theEventLoopIsRefusedABlockingLookupWithAMessageThatSaysWhatToDo() {
        String id = given().body("7").put("/r/attr/x").getCookie("JSESSIONID");
        Response refused = given().cookie("JSESSIONID", id).get("/r/reactive/unloaded");
        refused.then().statusCode(409);
        assertTrue(refused.asString().contains("call RedisSession.load()") && refused.asString().contains("@Blocking")
                && refused.asString().contains("eventloop"), refused.asString());
        // After load() the same endpoint's thread reads it without I/O.
        assertEquals("7", given().cookie("JSESSIONID", id).get("/r/reactive/attr/x").asString());
    }

    @Test
    void rotationMovesTheSessionAndTheResponseCarriesTheNewId() {
        String id = given().body("1").put("/r/attr/x").getCookie("JSESSIONID");
        Response rotated = given().cookie("JSESSIONID", id).post("/r/rotate");
        assertEquals("rotated", rotated.asString());
        String newId = rotated.getCookie("JSESSIONID");
        assertNotEquals(id, newId);
        assertEquals("0", REDIS.cli("EXISTS", "rest:default:" + id));
        assertEquals("1", given().cookie("JSESSIONID", newId).get("/r/attr/x").asString());
        given().cookie("JSESSIONID", id).get("/r/attr/x").then().statusCode(401);
        assertEquals("none", given().post("/r/rotate").asString());
    }

    @Test
    void invalidationDeletesTheKeyAndTellsTheClientToDropItsId() {
        String id = given().body("1").put("/r/attr/x").getCookie("JSESSIONID");
        Response ended = given().cookie("JSESSIONID", id).delete("/r");
        ended.then().statusCode(200);
        String cookie = ended.header("Set-Cookie");
        assertTrue(cookie.startsWith("JSESSIONID=;") && cookie.contains("Max-Age=0"), cookie);
        assertEquals("0", REDIS.cli("EXISTS", "rest:default:" + id));
        given().cookie("JSESSIONID", id).get("/r/attr/x").then().statusCode(401);
    }

    @Test
    void aRouteLoadsChangesAndFlushesItsSession() {
        Response first = given().post("/route/visits");
        assertEquals("1", first.asString());
        String id = first.getCookie("JSESSIONID");
        assertEquals("2", given().cookie("JSESSIONID", id).post("/route/visits").asString());
        assertTrue(REDIS.cli("GET", "rest:default:" + id).contains("\"visits\":2"));
        // A declared @Route with the injected session sees and changes the same session.
        assertEquals("3", given().cookie("JSESSIONID", id).post("/declared/visits").asString());
        assertEquals("4", given().cookie("JSESSIONID", id).post("/route/visits").asString());
        Response fresh = given().post("/declared/visits");
        assertEquals("1", fresh.asString());
        assertTrue(REDIS.cli("GET", "rest:default:" + fresh.getCookie("JSESSIONID")).contains("\"visits\":1"));
    }

    @Test
    void roundTripsAreZeroForAnUntouchedSessionOneForAReadTwoForAChange() throws Exception {
        for (String script : TestApps.storeScripts()) {
            REDIS.cli("SCRIPT", "LOAD", script); // so no write takes the NOSCRIPT detour
        }
        String id = given().body("1").put("/r/attr/x").getCookie("JSESSIONID");
        Map<String, Long> before = TestApps.sessionCommands(REDIS);
        given().cookie("JSESSIONID", id).get("/r/untouched").then().statusCode(200);
        assertEquals(before, TestApps.sessionCommands(REDIS), "untouched: no command");
        given().cookie("JSESSIONID", id).get("/r/attr/x").then().statusCode(200);
        Map<String, Long> afterRead = TestApps.sessionCommands(REDIS);
        assertEquals(Map.of("getex", before.getOrDefault("getex", 0L) + 1), delta(before, afterRead),
                "a read is one GETEX");
        given().cookie("JSESSIONID", id).body("2").put("/r/attr/x").then().statusCode(200);
        Map<String, Long> afterWrite = TestApps.sessionCommands(REDIS);
        assertEquals(Map.of("getex", afterRead.get("getex") + 1, "evalsha", afterRead.getOrDefault("evalsha", 0L) + 1),
                delta(afterRead, afterWrite), "a change is one GETEX and one EVALSHA");
    }

    /** What a client sends; commandstats also counts what the scripts call (GET, SET), which is no round trip. */
    private static final java.util.Set<String> SENT = java.util.Set.of("getex", "evalsha", "eval", "del", "pexpire");

    /** The commands the store sent whose counts changed, with their new counts. */
    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> changed = new java.util.TreeMap<>(after);
        changed.keySet().retainAll(SENT);
        changed.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
        return changed;
    }
}
