package dev.redissession.testing.contract;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.RedisTestResource;
import dev.redissession.testing.TestRedis;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Requests of the demo session contract ({@code /demo/...}) through RestAssured, against the app of the running
 * {@code @QuarkusTest} (which sets RestAssured's port), and what they left in its Redis, the shared test server of
 * {@link RedisTestResource}.
 */
public final class ContractRequests {

    public static final ObjectMapper JSON = new ObjectMapper();
    /** A login with every field, the name outside ASCII so that encodings are tested too. */
    public static final String LOGIN = "{\"user_id\":\"u-42\",\"email\":\"taro@example.com\",\"name\":\"山田 太郎\","
            + "\"roles\":[\"user\",\"editor\"]}";

    private ContractRequests() {
    }

    /** The app's Redis: the shared test server that {@link RedisTestResource} points the app at. */
    public static RedisServer redis() {
        return TestRedis.standalone();
    }

    /** A request with the tenant header (unless {@code null}) and the session cookie (unless {@code null}). */
    public static RequestSpecification request(String tenant, String sessionId) {
        RequestSpecification spec = given().contentType("application/json");
        if (tenant != null) {
            spec = spec.header("X-Tenant-Id", tenant);
        }
        if (sessionId != null) {
            spec = spec.cookie("JSESSIONID", sessionId);
        }
        return spec;
    }

    /** Logs in with {@link #LOGIN}; returns the session id the response sets. */
    public static String login(String tenant, String sessionId) {
        Response response = request(tenant, sessionId).body(LOGIN).post("/demo/login");
        response.then().statusCode(200);
        String id = response.getCookie("JSESSIONID");
        assertNotNull(id, "login sets the session cookie");
        return id;
    }

    public static JsonNode json(Response response) {
        try {
            return JSON.readTree(response.asString());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.asString(), e);
        }
    }

    public static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    /**
     * What the store's scripts call to keep the expiry index (inside the create, write and end scripts: no round
     * trip of their own), left out of the command counts, which are about what the client sends.
     */
    public static final Set<String> EXPIRY_INDEX_COMMANDS = Set.of("zadd", "zrem", "hset", "hdel", "pttl", "expire");

    /** Redis commands since the last reset, without the ones the stats read and connection setup cost. */
    public static Map<String, Long> commands() {
        return sessionCommands(redis());
    }

    /**
     * {@code INFO commandstats} of {@code redis} without what no request sends: the stats' own commands, the
     * client's handshake, and the store's reading of Redis's clock ({@code TIME}, in the background now and then).
     */
    public static Map<String, Long> sessionCommands(RedisServer redis) {
        Map<String, Long> stats = new TreeMap<>(redis.commandStats());
        stats.keySet().removeIf(c -> c.startsWith("config") || c.startsWith("info") || c.startsWith("client")
                || c.equals("ping") || c.equals("hello") || c.equals("time") || EXPIRY_INDEX_COMMANDS.contains(c));
        return stats;
    }
}
