package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * The session store against a real standalone Redis: the stored format, TTLs, rotation, invalidation, concurrency
 * and what each request costs in Redis commands.
 */
class SessionStoreTest {

    static final RedisServer REDIS = TestRedis.standalone();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionServlet.class, Sessions.class)
            .overrideConfigKey("quarkus.redis-session.tenant.default", "store-test");

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void storesOneJsonStringWithMetadataAndTtl() throws Exception {
        String id = Sessions.put(null, "cart", "{\"items\":[1,2],\"total\":9.5}");
        JsonNode stored = JSON.readTree(REDIS.cli("GET", "session:store-test:" + id));
        assertEquals("string", REDIS.cli("TYPE", "session:store-test:" + id));
        assertEquals(List.of(1, 2), JSON.convertValue(stored.at("/cart/items"), List.class));
        assertTrue(stored.get("created_at").textValue().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"));
        assertTrue(stored.has("last_accessed_at"));
        long ttl = Long.parseLong(REDIS.cli("PTTL", "session:store-test:" + id));
        assertTrue(ttl > 590_000 && ttl <= 600_000, "TTL is the 10 min idle timeout of a session without user_id, was "
                + ttl);
        given().cookie("JSESSIONID", id).get("/s/attr/cart").then().statusCode(200)
                .body("value.total", equalTo(9.5f));
    }

    @Test
    void changesReachRedisBeforeTheResponseIsCommitted() throws Exception {
        String id = Sessions.put(null, "a", "1");
        SessionServlet.hold("flusher");
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port
                        + "/s/flushed/early?hold=flusher"))
                .header("Cookie", "JSESSIONID=" + id)
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("\"seen\"")).build();
        // Returns as soon as the status line and headers arrive, while the servlet still holds the request.
        CompletableFuture<java.net.http.HttpResponse<java.io.InputStream>> response = client.sendAsync(request,
                java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        SessionServlet.awaitLoaded("flusher");
        java.net.http.HttpResponse<java.io.InputStream> headers = response.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, headers.statusCode());
        assertEquals("seen", JSON.readTree(REDIS.cli("GET", "session:store-test:" + id)).get("early").textValue());
        SessionServlet.release("flusher");
        headers.body().readAllBytes();
    }

    @Test
    void sessionIdsAreLongRandomAndUrlSafe() {
        String a = Sessions.put(null, "x", "1");
        String b = Sessions.put(null, "x", "1");
        assertNotEquals(a, b);
        assertTrue(a.matches("[A-Za-z0-9_-]{32}"), a);
    }

    @Test
    void requestCostsInRedisCommands() {
        String id = Sessions.put(null, "a", "1");

        REDIS.resetStats();
        given().cookie("JSESSIONID", id).get("/s/ping").then().statusCode(200);
        assertEquals(Map.of(), TestApps.sessionCommands(REDIS), "a request that never calls getSession costs nothing");

        REDIS.resetStats();
        given().cookie("JSESSIONID", id).get("/s/attr/a").then().statusCode(200);
        assertEquals(Map.of("getex", 1L), TestApps.sessionCommands(REDIS), "a read is one GETEX");

        REDIS.resetStats();
        Sessions.put(id, "b", "2");
        // Two round trips; the script's own GET and SET run inside Redis and commandstats counts them as well.
        assertEquals(Map.of("getex", 1L, "evalsha", 1L, "get", 1L, "set", 1L), TestApps.sessionCommands(REDIS),
                "a change is one GETEX and one EVALSHA");

        REDIS.resetStats();
        Sessions.put(null, "c", "3");
        assertEquals(Map.of("evalsha", 1L, "get", 1L, "set", 1L), TestApps.sessionCommands(REDIS),
                "a new session is one EVALSHA (the purge fence GET and SET NX run inside Redis)");

        REDIS.resetStats();
        given().cookie("JSESSIONID", "not a session id").get("/s/attr/a").then().statusCode(401);
        given().cookie("JSESSIONID", "x".repeat(300)).get("/s/attr/a").then().statusCode(401);
        assertEquals(Map.of(), TestApps.sessionCommands(REDIS), "a malformed cookie costs no Redis command");
    }

    @Test
    void rotationMovesTheSessionAndKeepsAttributesAndTtl() {
        String old = Sessions.put(null, "user", "\"alice\"");
        given().cookie("JSESSIONID", old).put("/s/max-inactive?seconds=600").then().statusCode(204);
        Response rotated = given().cookie("JSESSIONID", old).post("/s/rotate");
        rotated.then().statusCode(200);
        String fresh = rotated.getCookie("JSESSIONID");
        assertEquals(fresh, rotated.jsonPath().getString("id"));
        assertNotEquals(old, fresh);
        assertEquals("0", REDIS.cli("EXISTS", "session:store-test:" + old));
        given().cookie("JSESSIONID", old).get("/s/attr/user").then().statusCode(401);
        given().cookie("JSESSIONID", fresh).get("/s/attr/user").then().statusCode(200).body("value", equalTo("alice"));
        long ttl = Long.parseLong(REDIS.cli("PTTL", "session:store-test:" + fresh));
        assertTrue(ttl > 590_000 && ttl <= 600_000, "the session's own idle timeout moved with it: " + ttl);
    }

    @Test
    void aRotationUnderAPurgeFenceEndsTheSessionInTheSameAtomicStep() {
        String old = Sessions.put(null, "user", "\"liz\"");
        // What a purge of the tenant that started after this session was created leaves behind.
        REDIS.cli("SET", "session:#purge:store-test", String.valueOf(System.currentTimeMillis() + 1000), "PX", "60000");
        try {
            REDIS.resetStats();
            // The servlet's JSON writer commits the response itself, so the commit hook sets the status.
            Response refused = given().cookie("JSESSIONID", old).post("/s/rotate");
            refused.then().statusCode(409);
            assertEquals(Map.of("getex", 1L, "evalsha", 1L, "get", 2L, "del", 1L), TestApps.sessionCommands(REDIS),
                    "two round trips: the fence is read inside the script that moves the session");
            assertEquals("0", REDIS.cli("EXISTS", "session:store-test:" + old));
            // Nor did it move: no key of the tenant holds this user (one SCAN call covers this small test server).
            for (String key : REDIS.cli("SCAN", "0", "MATCH", "session:store-test:*", "COUNT", "100000").split("\n")) {
                if (key.startsWith("session:")) {
                    assertFalse(REDIS.cli("GET", key).contains("\"liz\""), key);
                }
            }
        } finally {
            REDIS.cli("DEL", "session:#purge:store-test");
        }
        // Sessions created after the purge started may rotate.
        String later = Sessions.put(null, "user", "\"liz\"");
        given().cookie("JSESSIONID", later).post("/s/rotate").then().statusCode(200);
    }

    @Test
    void invalidateDeletesAndClearsTheCookie() {
        String id = Sessions.put(null, "user", "\"bob\"");
        Response response = given().cookie("JSESSIONID", id).post("/s/invalidate");
        response.then().statusCode(204);
        assertEquals("0", REDIS.cli("EXISTS", "session:store-test:" + id));
        given().cookie("JSESSIONID", id).get("/s/attr/user").then().statusCode(401);
    }

    @Test
    void aRequestRunningDuringInvalidateDoesNotResurrectTheSession() throws Exception {
        String id = Sessions.put(null, "user", "\"carol\"");
        SessionServlet.hold("late-writer");
        CompletableFuture<Response> late = CompletableFuture.supplyAsync(() -> given().cookie("JSESSIONID", id)
                .body("1").put("/s/attr/late?hold=late-writer"));
        SessionServlet.awaitLoaded("late-writer");
        given().cookie("JSESSIONID", id).post("/s/invalidate").then().statusCode(204);
        SessionServlet.release("late-writer");
        Response refused = late.get();
        refused.then().statusCode(409).body("error", equalTo("session_gone"));
        assertEquals("0", REDIS.cli("EXISTS", "session:store-test:" + id), "the late write must not recreate it");
    }

    @Test
    void aWriteRacingWithARotationIsRefusedNotLost() throws Exception {
        String old = Sessions.put(null, "user", "\"judy\"");
        SessionServlet.hold("racer");
        CompletableFuture<Response> racer = CompletableFuture.supplyAsync(() -> given().cookie("JSESSIONID", old)
                .body("\"lost?\"").put("/s/attr/extra?hold=racer"));
        SessionServlet.awaitLoaded("racer");
        String fresh = given().cookie("JSESSIONID", old).post("/s/rotate").then().statusCode(200).extract()
                .cookie("JSESSIONID");
        SessionServlet.release("racer");
        Response refused = racer.get();
        refused.then().statusCode(409).body("message", containsString("not saved"));
        assertTrue(refused.getDetailedCookie("JSESSIONID") == null
                || refused.getDetailedCookie("JSESSIONID").getMaxAge() == 0, "no id handed out for a gone session");
        given().cookie("JSESSIONID", fresh).get("/s/attr/user").then().statusCode(200).body("value", equalTo("judy"));
    }

    @Test
    void asyncServletsReachTheSessionAfterTheDispatchReturns() {
        String id = Sessions.put(null, "a", "1");
        given().cookie("JSESSIONID", id).get("/s/async/visits").then().statusCode(200).body(equalTo("1"));
        given().cookie("JSESSIONID", id).get("/s/async/visits").then().statusCode(200).body(equalTo("2"));
        given().cookie("JSESSIONID", id).get("/s/attr/visits").then().statusCode(200).body("value", equalTo(2));
    }

    @Test
    void aKeyOfAnotherTypeServesNoSessionAndIsLeftAlone() {
        String id = "wrongtypewrongtypewrongtype00001";
        REDIS.cli("HSET", "session:store-test:" + id, "user_id", "u");
        REDIS.cli("EXPIRE", "session:store-test:" + id, "600");
        given().cookie("JSESSIONID", id).get("/s/attr/user_id").then().statusCode(401);
        assertEquals("hash", REDIS.cli("TYPE", "session:store-test:" + id));
    }

    @Test
    void concurrentChangesOfDifferentAttributesAreAllKept() throws Exception {
        String id = Sessions.put(null, "base", "0");
        SessionServlet.hold("first");
        SessionServlet.hold("second");
        // Both requests read the same stored value before either writes: the classic lost update.
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> given().cookie("JSESSIONID", id)
                .body("\"one\"").put("/s/attr/first?hold=first").statusCode());
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> given().cookie("JSESSIONID", id)
                .body("\"two\"").put("/s/attr/second?hold=second").statusCode());
        SessionServlet.awaitLoaded("first");
        SessionServlet.awaitLoaded("second");
        SessionServlet.release("first");
        assertEquals(204, first.get());
        SessionServlet.release("second");
        assertEquals(204, second.get());
        given().cookie("JSESSIONID", id).get("/s/all").then().statusCode(200)
                .body("base", equalTo(0)).body("first", equalTo("one")).body("second", equalTo("two"));
    }

    @Test
    void manyParallelWritersNeverCorruptTheValue() throws Exception {
        String id = Sessions.put(null, "start", "true");
        List<CompletableFuture<Integer>> writers = java.util.stream.IntStream.range(0, 24)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> given().cookie("JSESSIONID", id)
                        .body(String.valueOf(i)).put("/s/attr/w" + i).statusCode()))
                .toList();
        for (CompletableFuture<Integer> writer : writers) {
            assertEquals(204, writer.get());
        }
        JsonNode stored = JSON.readTree(REDIS.cli("GET", "session:store-test:" + id));
        for (int i = 0; i < 24; i++) {
            assertEquals(i, stored.get("w" + i).intValue(), "attribute w" + i);
        }
    }

    @Test
    void sameAttributeLastWriterWins() throws Exception {
        String id = Sessions.put(null, "color", "\"red\"");
        SessionServlet.hold("early");
        CompletableFuture<Integer> early = CompletableFuture.supplyAsync(() -> given().cookie("JSESSIONID", id)
                .body("\"green\"").put("/s/attr/color?hold=early").statusCode());
        SessionServlet.awaitLoaded("early");
        Sessions.put(id, "color", "\"blue\"");
        SessionServlet.release("early");
        assertEquals(204, early.get());
        given().cookie("JSESSIONID", id).get("/s/attr/color").then().body("value", equalTo("green"));
    }

    @Test
    void valuesWrittenByAnotherServiceInTheSeedFormatAreSessions() {
        String id = "550e8400-e29b-41d4-a716-446655440099";
        String created = java.time.Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString();
        REDIS.cli("SET", "session:store-test:" + id, "{\"user_id\":\"u-1\",\"tenant_id\":\"store-test\","
                + "\"email\":\"user@example.com\",\"name\":\"山田 太郎\",\"roles\":[\"user\",\"admin\"],"
                + "\"created_at\":\"" + created + "\",\"last_accessed_at\":\"" + created + "\"}", "EX", "28800");
        given().cookie("JSESSIONID", id).get("/s/all").then().statusCode(200)
                .body("name", equalTo("山田 太郎")).body("roles", equalTo(List.of("user", "admin")))
                .body("email", equalTo("user@example.com")).body("user_id", equalTo("u-1"))
                .body("created_at", org.hamcrest.Matchers.nullValue());
        given().cookie("JSESSIONID", id).get("/s/meta").then().statusCode(200)
                .body("created", equalTo(java.time.Instant.parse(created).toEpochMilli()));
    }

    @Test
    void corruptJsonServesNoSessionAndLeavesTheKeyAlone() {
        String id = "corruptcorruptcorruptcorrupt0001";
        REDIS.cli("SET", "session:store-test:" + id, "{not json", "EX", "600");
        given().cookie("JSESSIONID", id).get("/s/attr/a").then().statusCode(401);
        assertEquals("{not json", REDIS.cli("GET", "session:store-test:" + id));
    }

    @Test
    void unstorableAndReservedAttributesFailAtSetAttributeNamingTheAttribute() {
        // The servlet turns IllegalArgumentException from setAttribute into 422 with its message.
        given().body("1").put("/s/attr/created_at").then().statusCode(422)
                .body(containsString("'created_at' is reserved"));
        given().put("/s/internal").then().statusCode(204);
    }

    @Test
    void internalAttributesNeverReachRedis() {
        String id = Sessions.put(null, "a", "1");
        given().cookie("JSESSIONID", id).put("/s/internal").then().statusCode(204);
        assertFalse(REDIS.cli("GET", "session:store-test:" + id).contains("io.quarkus"));
    }

    @Test
    void ownIdleTimeoutIsKeptOnReads() {
        String id = Sessions.put(null, "a", "1");
        given().cookie("JSESSIONID", id).put("/s/max-inactive?seconds=120").then().statusCode(204);
        REDIS.resetStats();
        given().cookie("JSESSIONID", id).get("/s/meta").then().statusCode(200).body("maxInactive", equalTo(120));
        long ttl = Long.parseLong(REDIS.cli("PTTL", "session:store-test:" + id));
        assertTrue(ttl > 110_000 && ttl <= 120_000, "read re-applied the session's own timeout: " + ttl);
        assertEquals(1L, REDIS.commandCalls("pexpire"), "a non-default timeout costs one PEXPIRE after GETEX");
    }

    @Test
    void aSessionPastItsAbsoluteLifetimeIsGone() {
        String id = "expiredexpiredexpiredexpired0001";
        String created = java.time.Instant.now().minus(java.time.Duration.ofHours(9)).toString();
        REDIS.cli("SET", "session:store-test:" + id,
                "{\"user_id\":\"u\",\"created_at\":\"" + created + "\",\"last_accessed_at\":\"" + created + "\"}",
                "EX", "600");
        given().cookie("JSESSIONID", id).get("/s/attr/user_id").then().statusCode(401);
        assertEquals("0", REDIS.cli("EXISTS", "session:store-test:" + id));
    }

    @Test
    void nearItsAbsoluteDeadlineTheTtlIsCapped() {
        String id = "nearlyoldnearlyoldnearlyold00001";
        String created = java.time.Instant.now().minus(java.time.Duration.ofHours(8)).plusSeconds(100).toString();
        REDIS.cli("SET", "session:store-test:" + id,
                "{\"user_id\":\"u\",\"created_at\":\"" + created + "\",\"last_accessed_at\":\"" + created + "\"}",
                "EX", "600");
        given().cookie("JSESSIONID", id).get("/s/attr/user_id").then().statusCode(200);
        long ttl = Long.parseLong(REDIS.cli("PTTL", "session:store-test:" + id));
        assertTrue(ttl > 90_000 && ttl <= 100_000, "TTL is what remains of the 8 h lifetime: " + ttl);
    }
}
