package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * {@code quarkus.redis-session.replica-acks=1}: every session write is followed by {@code WAIT 1 <timeout>} in the
 * same pipeline; a write the replica does not acknowledge in time (the replica hangs) is answered 503
 * {@code replica_ack_timeout} with Retry-After although the master has it, except a rotation, which must hand the
 * client its new id.
 */
class ReplicaAcksTest {

    static final RedisServer MASTER = TestRedis.dedicated("replica-acks-master");
    static final RedisServer REPLICA = TestRedis.dedicated("replica-acks-replica",
            () -> RedisServer.startReplicaOf(MASTER));
    private static final String PREFIX = "session:default:";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(MASTER, SessionServlet.class, Sessions.class)
            .overrideConfigKey("quarkus.redis-session.replica-acks", "1")
            .overrideConfigKey("quarkus.redis-session.replica-ack-timeout", "300MS");

    @AfterAll
    static void stopAll() {
        REPLICA.stop();
        MASTER.stop();
    }

    @Test
    void everyWriteWaitsForTheReplicaAndAMissingAckIsA503ThatSaysTheChangeIsOnTheMaster() throws Exception {
        Poll.until(Duration.ofSeconds(30), "the replica to be in sync",
                () -> REPLICA.cli("INFO", "replication"), info -> info.contains("master_link_status:up"));
        // The server knows the scripts, so no write takes the NOSCRIPT detour (which runs a WAIT of its own).
        for (String script : TestApps.storeScripts()) {
            MASTER.cli("SCRIPT", "LOAD", script);
        }
        MASTER.resetStats();
        String id = Sessions.put(null, "user", "\"ivan\""); // create-session script
        Sessions.put(id, "lang", "\"de\""); // write-session script
        given().cookie("JSESSIONID", id).post("/s/invalidate").then().statusCode(204); // end-session script
        var stats = TestApps.sessionCommands(MASTER);
        assertEquals(3L, stats.getOrDefault("wait", 0L), "one WAIT per write: " + stats);
        assertEquals("0", MASTER.cli("EXISTS", PREFIX + id));

        String kept = Sessions.put(null, "user", "\"olga\"");
        REPLICA.pause();
        try {
            given().cookie("JSESSIONID", kept).body("\"fr\"").put("/s/attr/lang").then().statusCode(503)
                    .header("Retry-After", "1").body("error", equalTo("replica_ack_timeout"))
                    .body("message", equalTo("The session store could not confirm this request's session changes "
                            + "(0 of 1 replicas acknowledged the EVALSHA WRITE-SESSION within 300 ms). They are saved on the Redis "
                            + "master but a failover could still lose them. Retry in a moment."));
            assertTrue(MASTER.cli("GET", PREFIX + kept).contains("\"fr\""), "the change is on the master");

            String rotated = given().cookie("JSESSIONID", kept).post("/s/rotate").then().statusCode(200).extract()
                    .cookie("JSESSIONID");
            assertNotEquals(kept, rotated, "a rotation is answered with the new id even without the replica's ack");
            kept = rotated;
        } finally {
            REPLICA.resume();
        }
        Poll.until(Duration.ofSeconds(30), "the replica to be in sync again",
                () -> REPLICA.cli("INFO", "replication"), info -> info.contains("master_link_status:up"));
        Sessions.put(kept, "lang", "\"it\"");
        given().cookie("JSESSIONID", kept).get("/s/all").then().statusCode(200).body("user", equalTo("olga"))
                .body("lang", equalTo("it"));
    }
}
