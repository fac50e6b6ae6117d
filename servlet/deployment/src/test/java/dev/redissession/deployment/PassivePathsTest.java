package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * {@code quarkus.redis-session.passive-paths} in the servlet door: a passive request reads its session with a plain
 * {@code GET}, leaving its TTL and {@code last_accessed_at} as they were (with {@code touch-interval=0}, where every
 * ordinary read writes both), and may not change or create a session.
 */
class PassivePathsTest {

    static final RedisServer REDIS = TestRedis.standalone();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TENANT = "passive-servlet";
    /**
     * Lower than the (anonymous) idle timeout's 10 minutes, to which an ordinary read's write sets it: what a session
     * idle for a while has left.
     */
    static final long TTL_LEFT = 300_000;

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionServlet.class, Sessions.class)
            .overrideConfigKey("quarkus.redis-session.tenant.default", TENANT)
            .overrideConfigKey("quarkus.redis-session.touch-interval", "0")
            .overrideConfigKey("quarkus.redis-session.passive-paths", "/s/all,/s/counter,/s/append/*");

    @Test
    void aPassiveReadLeavesTtlAndAccessTimeAndAnOrdinaryReadSlidesThem() throws Exception {
        String id = idleSession();
        String key = "session:" + TENANT + ":" + id;
        String stored = REDIS.cli("GET", key);

        REDIS.resetStats();
        assertEquals(Map.of("a", 1, "tenant_id", TENANT),
                JSON.readValue(given().cookie("JSESSIONID", id).get("/s/all").then().statusCode(200)
                        .extract().asString(), Map.class));
        assertEquals(Map.of("get", 1L), TestApps.sessionCommands(REDIS), "one GET, no write, no PEXPIRE");
        assertEquals(stored, REDIS.cli("GET", key), "last_accessed_at as it was");
        long pttl = Long.parseLong(REDIS.cli("PTTL", key));
        assertTrue(pttl <= TTL_LEFT && pttl > TTL_LEFT - 60_000, "the TTL runs on: " + pttl);

        given().cookie("JSESSIONID", id).get("/s/attr/a").then().statusCode(200);
        assertTrue(Long.parseLong(REDIS.cli("PTTL", key)) > TTL_LEFT, "an ordinary read slides the TTL");
        assertTrue(!stored.equals(REDIS.cli("GET", key)), "and writes its access time (touch-interval=0)");
    }

    @Test
    void aPassiveRequestMayNotChangeOrCreateASession() throws Exception {
        String id = Sessions.put(null, "cart", "[\"apple\"]");
        String key = "session:" + TENANT + ":" + id;
        String stored = REDIS.cli("GET", key);

        // setAttribute is refused at the call, a value changed in place when the request ends
        given().cookie("JSESSIONID", id).post("/s/counter").then().statusCode(500);
        given().cookie("JSESSIONID", id).body("\"pear\"").post("/s/append/cart").then().statusCode(500);
        assertEquals(stored, REDIS.cli("GET", key), "nothing of the passive requests was written");

        REDIS.resetStats();
        given().post("/s/counter").then().statusCode(500);
        assertEquals(Map.of(), TestApps.sessionCommands(REDIS), "no session is created");
    }

    /** A session with attribute {@code a}, its TTL run down to {@link #TTL_LEFT}, its access time a moment ago. */
    private static String idleSession() {
        String id = Sessions.put(null, "a", "1");
        String key = "session:" + TENANT + ":" + id;
        REDIS.cli("PEXPIRE", key, String.valueOf(TTL_LEFT));
        Instant written = Instant.now();
        // Millisecond times: a read after this is at a later one, so a touch would change the value.
        Poll.until(Duration.ofSeconds(5), "the clock to move on", () -> Instant.now().isAfter(written.plusMillis(2)));
        return id;
    }
}
