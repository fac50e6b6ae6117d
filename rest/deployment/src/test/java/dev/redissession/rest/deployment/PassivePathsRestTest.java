package dev.redissession.rest.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.deployment.TestApps;
import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * {@code quarkus.redis-session.passive-paths} in the REST door, on the event loop ({@code load()}): a passive request
 * reads its session with a plain {@code GET}, leaving its TTL and {@code last_accessed_at} as they were (with
 * {@code touch-interval=0}, where every ordinary read writes both), and may not change or create a session.
 */
class PassivePathsRestTest {

    static final RedisServer REDIS = TestRedis.standalone();
    /**
     * Lower than the (anonymous) idle timeout's 10 minutes, to which an ordinary read's write sets it: what a session
     * idle for a while has left.
     */
    static final long TTL_LEFT = 300_000;

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionResource.class)
            .overrideConfigKey("quarkus.redis-session.key-prefix", "passive:")
            .overrideConfigKey("quarkus.redis-session.touch-interval", "0")
            .overrideConfigKey("quarkus.redis-session.passive-paths", "/r/reactive/*");

    @Test
    void aPassiveReadLeavesTtlAndAccessTimeAndAnOrdinaryReadSlidesThem() {
        String id = idleSession();
        String key = "passive:default:" + id;
        String stored = REDIS.cli("GET", key);

        REDIS.resetStats();
        assertEquals("41", given().cookie("JSESSIONID", id).get("/r/reactive/attr/x").then().statusCode(200).extract()
                .asString());
        assertEquals(Map.of("get", 1L), TestApps.sessionCommands(REDIS), "one GET, no write, no PEXPIRE");
        assertEquals(stored, REDIS.cli("GET", key), "last_accessed_at as it was");
        long pttl = Long.parseLong(REDIS.cli("PTTL", key));
        assertTrue(pttl <= TTL_LEFT && pttl > TTL_LEFT - 60_000, "the TTL runs on: " + pttl);

        given().cookie("JSESSIONID", id).get("/r/attr/x").then().statusCode(200);
        assertTrue(Long.parseLong(REDIS.cli("PTTL", key)) > TTL_LEFT, "an ordinary read slides the TTL");
        assertNotEquals(stored, REDIS.cli("GET", key), "and writes its access time (touch-interval=0)");
    }

    @Test
    void aPassiveRequestMayNotChangeOrCreateASession() {
        String id = idleSession();
        String key = "passive:default:" + id;
        String stored = REDIS.cli("GET", key);
        given().cookie("JSESSIONID", id).post("/r/reactive/counter").then().statusCode(500);
        assertEquals(stored, REDIS.cli("GET", key), "nothing of the passive request was written");

        REDIS.resetStats();
        given().post("/r/reactive/counter").then().statusCode(500);
        assertEquals(Map.of(), TestApps.sessionCommands(REDIS), "no session is created");
    }

    /** A session with {@code x=41}, its TTL run down to {@link #TTL_LEFT}, its access time a moment ago. */
    private static String idleSession() {
        String id = given().body("41").put("/r/attr/x").then().statusCode(200).extract().cookie("JSESSIONID");
        REDIS.cli("PEXPIRE", "passive:default:" + id, String.valueOf(TTL_LEFT));
        Instant written = Instant.now();
        // Millisecond times: a read after this is at a later one, so a touch would change the value.
        Poll.until(Duration.ofSeconds(5), "the clock to move on", () -> Instant.now().isAfter(written.plusMillis(2)));
        return id;
    }
}
