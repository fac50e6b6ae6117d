package dev.redissession.demo;

import static dev.redissession.testing.contract.ContractRequests.json;
import static dev.redissession.testing.contract.ContractRequests.login;
import static dev.redissession.testing.contract.ContractRequests.redis;
import static dev.redissession.testing.contract.ContractRequests.request;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redissession.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * What the web page relies on, against a real Redis: the page itself at {@code /}, the {@code X-Replica} header on
 * every kind of response, and {@code GET /demo/stored} (the stored string, redacted key, TTL; never a new session).
 * The page in a browser is {@link BrowserIT}.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class DemoPageTest {

    @Test
    void thePageIsServedAtTheRoot() {
        String html = request(null, null).get("/").then().statusCode(200).contentType("text/html").extract().asString();
        for (String id : new String[] { "tenant", "user_id", "email", "name", "roles", "login", "session", "refresh",
                "logout", "counter", "refresh_rest", "counter_rest", "replica", "show_stored", "purge", "purge_progress" }) {
            assertTrue(html.contains("id=\"" + id + "\""), "the page has #" + id);
        }
        request(null, null).get("/demo.js").then().statusCode(200);
    }

    @Test
    void everyResponseNamesTheReplicaByHostAndPort() {
        for (Response response : new Response[] { request(null, null).get("/"), request(null, null).get("/demo/ping"),
                request(null, null).get("/demo/me"), request("a b", null).get("/demo/me"),
                request(null, null).get("/admin/sessions/tenants/public") }) {
            String replica = response.getHeader("X-Replica");
            // demo.replica is not set in the tests: host name, ':', and the port the request came in on.
            assertTrue(replica != null && replica.matches(".+:\\d+") && !replica.endsWith(":0"),
                    "X-Replica on a " + response.statusCode() + ": " + replica);
        }
    }

    @Test
    void storedShowsTheExactStringTheRedactedKeyAndTheTtl() throws Exception {
        String id = login("acme", null);
        redis().resetStats();
        JsonNode stored = json(request("acme", id).get("/demo/stored").then().statusCode(200).extract().response());
        // Raw counts: commands() leaves PTTL out with the expiry index's commands, and no script ran here.
        Map<String, Long> sent = redis().commandStats();
        assertEquals(List.of(1L, 1L, 0L), List.of(sent.getOrDefault("get", 0L), sent.getOrDefault("pttl", 0L),
                sent.getOrDefault("getex", 0L)), "reads the key (GET, PTTL), never the session (no GETEX): " + sent);
        assertEquals("session:acme:" + id.substring(0, 4) + "…", stored.get("key").textValue());
        assertEquals(redis().cli("GET", "session:acme:" + id), stored.get("value").textValue());
        long ttl = stored.get("ttl_ms").longValue();
        assertTrue(ttl > 1_700_000 && ttl <= 1_800_000, "the idle timeout's remaining milliseconds: " + ttl);
    }

    @Test
    void storedNeverCreatesASession() {
        Response none = request(null, null).get("/demo/stored");
        none.then().statusCode(404).body("error", equalTo("no_session"));
        assertNull(none.getCookie("JSESSIONID"), "no session cookie is set");

        String id = login("acme", null);
        Response otherTenant = request("other", id).get("/demo/stored");
        otherTenant.then().statusCode(404);
        assertEquals("Redis holds no key session:other:" + id.substring(0, 4) + "…: logged out, expired, purged or"
                + " never logged in", json(otherTenant).get("message").textValue());
        assertEquals("0", redis().cli("EXISTS", "session:other:" + id));
        assertNull(otherTenant.getCookie("JSESSIONID"));

        request("a b", id).get("/demo/stored").then().statusCode(400).body("error",
                equalTo("invalid_tenant"));
    }
}
