package dev.redissession.testing.contract;

import static dev.redissession.testing.contract.ContractRequests.JSON;
import static dev.redissession.testing.contract.ContractRequests.LOGIN;
import static dev.redissession.testing.contract.ContractRequests.commands;
import static dev.redissession.testing.contract.ContractRequests.fieldNames;
import static dev.redissession.testing.contract.ContractRequests.json;
import static dev.redissession.testing.contract.ContractRequests.login;
import static dev.redissession.testing.contract.ContractRequests.redis;
import static dev.redissession.testing.contract.ContractRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.restassured.response.Response;

/**
 * The demo session contract ({@code /demo/login}, {@code me}, {@code counter}, {@code attributes}, {@code cart},
 * {@code logout}, {@code ping}, {@code poll}) as every door must answer it: what each endpoint answers, what lands in Redis
 * (read
 * back with redis-cli as plain JSON), and what each request costs in Redis commands. A concrete subclass is a
 * {@code @QuarkusTest} of one app with {@code @WithTestResource(RedisTestResource.class)}; it adds nothing else.
 */
public abstract class SessionContractScenarios {

    static final Set<String> SEED_FIELDS = Set.of("user_id", "tenant_id", "email", "name", "roles", "created_at",
            "last_accessed_at");
    static final String RFC3339_UTC = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z";

    // ---- login ----------------------------------------------------------------------------------------------------

    @Test
    void loginWithoutASessionCreatesOne() throws Exception {
        Response response = request(null, null).body(LOGIN).post("/demo/login");
        response.then().statusCode(200).contentType("application/json");
        assertEquals(JSON.readTree("{\"user_id\":\"u-42\",\"tenant_id\":\"public\",\"email\":\"taro@example.com\","
                + "\"name\":\"山田 太郎\",\"roles\":[\"user\",\"editor\"]}"), json(response));
        String id = response.getCookie("JSESSIONID");
        assertNotNull(id, "login sets the session cookie");
        assertEquals("1", redis().cli("EXISTS", "session:public:" + id));
        assertEquals(json(response), json(request(null, id).get("/demo/me").then().statusCode(200).extract().response()));
    }

    @Test
    void storedSessionIsTheSeedJsonWithATtl() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        String id = login(null, null);
        String key = "session:public:" + id;
        assertEquals("string", redis().cli("TYPE", key));
        JsonNode stored = JSON.readTree(redis().cli("GET", key));
        assertEquals(SEED_FIELDS, fieldNames(stored), "exactly the fields of the seed format: " + stored);
        assertEquals("u-42", stored.get("user_id").textValue());
        assertEquals("public", stored.get("tenant_id").textValue());
        assertEquals("taro@example.com", stored.get("email").textValue());
        assertEquals("山田 太郎", stored.get("name").textValue());
        assertEquals(JSON.readTree("[\"user\",\"editor\"]"), stored.get("roles"));
        for (String field : new String[] { "created_at", "last_accessed_at" }) {
            String value = stored.get(field).textValue();
            assertTrue(value.matches(RFC3339_UTC), field + " is RFC 3339 in UTC: " + value);
            Instant at = Instant.parse(value);
            assertFalse(at.isBefore(before) || at.isAfter(Instant.now().plusSeconds(1)), field + " is now: " + value);
        }
        long ttl = Long.parseLong(redis().cli("PTTL", key));
        assertTrue(ttl > 0, "the session key expires: PTTL " + ttl);
    }

    @Test
    void loginWithASessionRotatesItsIdAndKeepsItsAttributes() throws Exception {
        Response put = request(null, null).body("\"dark\"").put("/demo/attributes/theme");
        put.then().statusCode(204);
        String before = put.getCookie("JSESSIONID");
        assertNotNull(before);

        String after = login(null, before);
        assertNotEquals(before, after, "login gives the session a new id");
        assertEquals("0", redis().cli("EXISTS", "session:public:" + before));
        assertEquals("1", redis().cli("EXISTS", "session:public:" + after));
        request(null, before).get("/demo/me").then().statusCode(401).contentType("application/json");
        JsonNode me = json(request(null, after).get("/demo/me").then().statusCode(200).extract().response());
        assertEquals("dark", me.get("theme").textValue(), "attributes set before login are kept: " + me);
        assertEquals("u-42", me.get("user_id").textValue());
    }

    @Test
    void loginWithAnUnknownSessionCookieCreatesANewSession() {
        String stale = "staleStaleStaleStaleStaleStale01";
        String id = login(null, stale);
        assertNotEquals(stale, id);
        assertEquals("0", redis().cli("EXISTS", "session:public:" + stale));
    }

    @Test
    void aSecondLoginReplacesTheUser() throws Exception {
        String first = login(null, null);
        Response again = request(null, first).body("{\"user_id\":\"u-7\"}").post("/demo/login");
        again.then().statusCode(200);
        assertEquals(JSON.readTree("{\"user_id\":\"u-7\",\"tenant_id\":\"public\",\"roles\":[]}"), json(again));
        JsonNode me = json(request(null, again.getCookie("JSESSIONID")).get("/demo/me").then().statusCode(200)
                .extract().response());
        assertEquals(JSON.readTree("{\"user_id\":\"u-7\",\"tenant_id\":\"public\",\"roles\":[]}"), me,
                "email and name of the previous user are gone");
    }

    @Test
    void badLoginBodiesAre400WithAJsonErrorAndCreateNoSession() {
        Map<String, String> cases = new TreeMap<>(Map.of(
                "not json", "not valid JSON",
                "", "empty",
                "[1,2]", "must be a JSON object",
                "{\"email\":\"a@example.com\"}", "'user_id' is required",
                "{\"user_id\":\"\"}", "'user_id' is required",
                "{\"user_id\":7}", "'user_id' must be a string, got number 7",
                "{\"user_id\":\"u\",\"roles\":\"admin\"}", "'roles' must be a list of strings, got string",
                "{\"user_id\":\"u\",\"roles\":[\"a\",1]}", "roles[1] is number",
                "{\"user_id\":\"u\",\"email\":[]}", "'email' must be a string"));
        redis().resetStats();
        cases.forEach((body, message) -> {
            Response response = request(null, null).body(body).post("/demo/login");
            response.then().statusCode(400).contentType("application/json");
            JsonNode error = json(response);
            assertTrue(Set.of("invalid_json", "invalid_login").contains(error.get("error").textValue()), body);
            assertTrue(error.get("message").textValue().contains(message),
                    "body " + body + " -> " + error + " should say " + message);
            assertNull(response.getCookie("JSESSIONID"), "no session for a refused login: " + body);
        });
        assertEquals(Map.of(), commands(), "a refused login never reaches Redis");
    }

    // ---- /demo/me, sessions of other services, tenants ---------------------------------------------------------

    @Test
    void meWithoutASessionIs401() {
        Response response = request(null, null).get("/demo/me");
        response.then().statusCode(401).contentType("application/json");
        assertEquals("no_session", json(response).get("error").textValue());
        assertTrue(json(response).get("message").textValue().contains("/demo/login"));
    }

    @Test
    void aSessionWrittenByAnotherServiceInTheSeedFormatIsValid() throws Exception {
        String id = UUID.randomUUID().toString();
        String now = Instant.now().minusSeconds(30).toString();
        String seed = "{\"user_id\":\"550e8400-e29b-41d4-a716-446655440001\",\"tenant_id\":\"public\","
                + "\"email\":\"user@example.com\",\"name\":\"山田 太郎\",\"roles\":[\"user\"],"
                + "\"created_at\":\"" + now + "\",\"last_accessed_at\":\"" + now + "\"}";
        redis().cli("SET", "session:public:" + id, seed, "EX", "28800");

        JsonNode me = json(request(null, id).get("/demo/me").then().statusCode(200).extract().response());
        assertEquals(JSON.readTree("{\"user_id\":\"550e8400-e29b-41d4-a716-446655440001\",\"tenant_id\":\"public\","
                + "\"email\":\"user@example.com\",\"name\":\"山田 太郎\",\"roles\":[\"user\"]}"), me);
    }

    @Test
    void tenantsAreIsolated() throws Exception {
        String id = login("acme", null);
        assertEquals("1", redis().cli("EXISTS", "session:acme:" + id));
        assertEquals("0", redis().cli("EXISTS", "session:public:" + id));
        assertEquals("acme", JSON.readTree(redis().cli("GET", "session:acme:" + id)).get("tenant_id").textValue());

        JsonNode me = json(request("acme", id).get("/demo/me").then().statusCode(200).extract().response());
        assertEquals("acme", me.get("tenant_id").textValue());
        request("globex", id).get("/demo/me").then().statusCode(401);
        request(null, id).get("/demo/me").then().statusCode(401);
        assertEquals("0", redis().cli("EXISTS", "session:globex:" + id));
    }

    @Test
    void anInvalidTenantIs400AndSendsNoRedisCommand() {
        String id = login(null, null);
        redis().resetStats();
        Response me = request("bad*tenant", id).get("/demo/me");
        me.then().statusCode(400).contentType("application/json");
        assertEquals("invalid_tenant", json(me).get("error").textValue());
        assertTrue(json(me).get("message").textValue().contains("'bad*tenant'"), me.asString());

        request("bad*tenant", null).body(LOGIN).post("/demo/login").then().statusCode(400)
                .contentType("application/json");
        assertEquals(Map.of(), commands(), "an invalid tenant is refused before any Redis command");
    }

    // ---- cost in Redis commands ---------------------------------------------------------------------------------

    @Test
    void pingNeverTouchesTheSessionAndMeIsOneGetex() {
        String id = login(null, null);

        redis().resetStats();
        Response ping = request(null, id).get("/demo/ping");
        ping.then().statusCode(200).contentType("text/plain");
        assertEquals("pong", ping.asString());
        assertEquals(Map.of(), commands(), "ping with a session cookie costs no Redis command");

        redis().resetStats();
        request(null, id).get("/demo/me").then().statusCode(200);
        assertEquals(Map.of("getex", 1L), commands(), "reading the session is exactly one GETEX");
    }

    // ---- /demo/poll: passive ---------------------------------------------------------------------------------------

    @Test
    void pollWithoutASessionIs401AndCreatesNone() {
        redis().resetStats();
        Response response = request(null, null).get("/demo/poll");
        response.then().statusCode(401).contentType("application/json");
        assertEquals("no_session", json(response).get("error").textValue());
        assertNull(response.getCookie("JSESSIONID"));
        assertEquals(Map.of(), commands(), "no cookie, no Redis command");
    }

    /**
     * A session stored 20 minutes ago and idle since (its TTL 10 of the 30 minutes left): the passive poll reads it
     * with a plain GET and leaves its TTL and value (last_accessed_at) as they were; an ordinary read slides both.
     */
    @Test
    void pollReadsTheSessionWithoutExtendingItAndAnOrdinaryReadExtendsIt() throws Exception {
        String id = UUID.randomUUID().toString();
        String key = "session:public:" + id;
        String idleSince = Instant.now().minusSeconds(20 * 60).toString();
        String seed = "{\"user_id\":\"u-9\",\"tenant_id\":\"public\",\"created_at\":\"" + idleSince
                + "\",\"last_accessed_at\":\"" + idleSince + "\"}";
        long ttlLeft = 10 * 60 * 1000;
        redis().cli("SET", key, seed, "PX", String.valueOf(ttlLeft));

        redis().resetStats();
        for (int poll = 0; poll < 3; poll++) {
            Response response = request(null, id).get("/demo/poll");
            response.then().statusCode(200).contentType("application/json");
            assertEquals(JSON.readTree("{\"user_id\":\"u-9\"}"), json(response));
            assertNull(response.getCookie("JSESSIONID"));
        }
        assertEquals(Map.of("get", 3L), commands(), "a passive read is one GET, and writes nothing");
        long afterPolls = Long.parseLong(redis().cli("PTTL", key));
        assertTrue(afterPolls <= ttlLeft && afterPolls > ttlLeft - 60_000,
                "polls leave the TTL running down from " + ttlLeft + " ms: PTTL " + afterPolls);
        assertEquals(seed, redis().cli("GET", key), "polls leave the value, and its last_accessed_at, as it was");

        request(null, id).get("/demo/me").then().statusCode(200);
        long afterRead = Long.parseLong(redis().cli("PTTL", key));
        assertTrue(afterRead > 29 * 60 * 1000, "an ordinary read slides the TTL to the idle timeout: " + afterRead);
        Instant accessed = Instant.parse(JSON.readTree(redis().cli("GET", key)).get("last_accessed_at").textValue());
        assertTrue(accessed.isAfter(Instant.now().minusSeconds(60)),
                "an ordinary read refreshes a last_accessed_at older than the touch interval: " + accessed);
    }

    // ---- logout ---------------------------------------------------------------------------------------------------

    @Test
    void logoutDeletesTheSession() {
        String id = login(null, null);
        request(null, id).post("/demo/logout").then().statusCode(204);
        assertEquals("0", redis().cli("EXISTS", "session:public:" + id));
        request(null, id).get("/demo/me").then().statusCode(401);
        request(null, null).post("/demo/logout").then().statusCode(204);
        request(null, id).post("/demo/logout").then().statusCode(204);
    }

    // ---- counter --------------------------------------------------------------------------------------------------

    @Test
    void counterCreatesTheSessionAndIncrements() {
        Response first = request(null, null).post("/demo/counter");
        first.then().statusCode(200).contentType("application/json");
        assertEquals("1", first.asString());
        String id = first.getCookie("JSESSIONID");
        assertNotNull(id, "the counter creates a session");
        assertEquals("2", request(null, id).post("/demo/counter").then().statusCode(200).extract().asString());
        assertEquals("3", request(null, id).post("/demo/counter").then().statusCode(200).extract().asString());
        assertEquals("3", request(null, id).get("/demo/attributes/counter").then().statusCode(200).extract().asString());
    }

    // ---- cart (changed in place) ----------------------------------------------------------------------------------

    @Test
    void cartItemsAreAppendedInPlaceAndStored() throws Exception {
        assertEquals(JSON.readTree("[]"), json(request(null, null).get("/demo/cart").then().statusCode(200).extract()
                .response()), "no session, empty cart");
        Response first = request(null, null).body("{\"sku\":\"A-1\",\"qty\":2}").post("/demo/cart/items");
        first.then().statusCode(200).contentType("application/json");
        String id = first.getCookie("JSESSIONID");
        assertNotNull(id, "the first item creates the session");
        Response second = request(null, id).body("\"gift wrap\"").post("/demo/cart/items");
        JsonNode cart = JSON.readTree("[{\"sku\":\"A-1\",\"qty\":2},\"gift wrap\"]");
        assertEquals(cart, json(second.then().statusCode(200).extract().response()));
        assertEquals(cart, JSON.readTree(redis().cli("GET", "session:public:" + id)).get("cart"),
                "the second item was added to the stored list without setAttribute, and saved");

        redis().resetStats();
        assertEquals(cart, json(request(null, id).get("/demo/cart").then().statusCode(200).extract().response()));
        assertEquals(Map.of("getex", 1L), commands(), "reading the cart compares it, finds no change, writes nothing");
        request(null, id).body("not json").post("/demo/cart/items").then().statusCode(400);
    }

    // ---- attributes -----------------------------------------------------------------------------------------------

    @Test
    void attributesHoldAnyJsonValue() throws Exception {
        String cart = "{\"items\":[{\"sku\":\"A-1\",\"qty\":2}],\"total\":19.5,\"gift\":false,\"note\":null}";
        Response put = request(null, null).body(cart).put("/demo/attributes/cart");
        put.then().statusCode(204);
        String id = put.getCookie("JSESSIONID");
        assertNotNull(id, "PUT creates a session");

        JsonNode read = json(request(null, id).get("/demo/attributes/cart").then().statusCode(200)
                .contentType("application/json").extract().response());
        assertEquals(JSON.readTree(cart), read);
        assertEquals(JSON.readTree(cart), JSON.readTree(redis().cli("GET", "session:public:" + id)).get("cart"),
                "stored as plain JSON in the session value");

        request(null, id).body("[1,\"two\",3.5]").put("/demo/attributes/cart").then().statusCode(204);
        assertEquals(JSON.readTree("[1,\"two\",3.5]"),
                json(request(null, id).get("/demo/attributes/cart").then().statusCode(200).extract().response()));

        request(null, id).body("null").put("/demo/attributes/cart").then().statusCode(204);
        request(null, id).get("/demo/attributes/cart").then().statusCode(404);
    }

    @Test
    void missingAttributesAndSessionsAre404() {
        String id = login(null, null);
        Response absent = request(null, id).get("/demo/attributes/nothing-here");
        absent.then().statusCode(404).contentType("application/json");
        assertEquals("no_attribute", json(absent).get("error").textValue());

        Response noSession = request(null, null).get("/demo/attributes/user_id");
        noSession.then().statusCode(404).contentType("application/json");
        assertEquals("no_session", json(noSession).get("error").textValue());
        request(null, id).get("/demo/attributes/").then().statusCode(404);
        request(null, id).get("/demo/attributes/a/b").then().statusCode(404);
    }

    @Test
    void aReservedAttributeNameIs400WithTheStoresMessage() throws Exception {
        redis().resetStats();
        Response refused = request(null, null).body("\"2020-01-01T00:00:00Z\"").put("/demo/attributes/created_at");
        refused.then().statusCode(400).contentType("application/json");
        assertEquals("attribute_refused", json(refused).get("error").textValue());
        assertTrue(json(refused).get("message").textValue().contains("'created_at' is reserved"), refused.asString());
        assertEquals(Map.of(), commands(), "no session is stored for a refused attribute");

        String id = login(null, null);
        String stored = redis().cli("GET", "session:public:" + id);
        request(null, id).body("1").put("/demo/attributes/last_accessed_at").then().statusCode(400);
        assertEquals(stored, redis().cli("GET", "session:public:" + id), "the session is unchanged");
        request(null, id).get("/demo/me").then().statusCode(200);
    }

    /** Names of the container, a value too deep or too large: each a 400 saying why, never a 500. */
    @Test
    void attributesTheStoreCannotTakeAre400() throws Exception {
        redis().resetStats();
        for (String name : new String[] { "io.undertow.y", "io.quarkus.x" }) {
            for (Response response : new Response[] { request(null, null).body("1").put("/demo/attributes/" + name),
                    request(null, null).get("/demo/attributes/" + name) }) {
                response.then().statusCode(400).contentType("application/json");
                assertEquals("reserved_name", json(response).get("error").textValue());
            }
        }
        Response deep = request(null, null).body("[".repeat(300) + "]".repeat(300)).put("/demo/attributes/deep");
        deep.then().statusCode(400);
        assertTrue(deep.asString().contains("levels deep"), deep.asString());
        Response big = request(null, null).body("\"" + "x".repeat(300_000) + "\"").put("/demo/attributes/big");
        big.then().statusCode(400);
        assertTrue(big.asString().contains("quarkus.redis-session.max-size"), big.asString());
        assertEquals(Map.of(), commands(), "nothing is stored for a refused attribute");
    }

    @Test
    void anAttributeBodyThatIsNotJsonIs400() {
        Response response = request(null, null).body("{oops").put("/demo/attributes/x");
        response.then().statusCode(400).contentType("application/json");
        assertEquals("invalid_json", json(response).get("error").textValue());
        assertNull(response.getCookie("JSESSIONID"));
    }
}
