package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.redissession.PurgeJob;
import dev.redissession.PurgeState;
import dev.redissession.TenantPurge;
import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisServer;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * Every command of the session path and of a tenant purge, sent as the restricted ACL user of
 * {@code docs/tls-and-acl.md} ({@link RestrictedUser}): nothing is refused, and Redis's {@code ACL LOG} (where every
 * denied command or key lands) stays empty. Run on a standalone server ({@link RestrictedUserTest}) and a cluster
 * ({@link RestrictedUserClusterTest}), each of the test's own (ACL users are per server).
 */
abstract class RestrictedUserScenario {

    /** What the scenario must have made the store send, so a command the rules deny could not go unnoticed. */
    private static final Set<String> SESSION_COMMANDS = Set.of("set", "getex", "evalsha", "pexpire", "del", "scan",
            "unlink", "eval", "cluster|myid", "zadd", "zrangebyscore", "zrem", "pttl");

    static QuarkusUnitTest app(String hosts) {
        return TestApps.app(SessionServlet.class, Sessions.class, RestrictedUser.class, RestrictedUserScenario.class)
                .overrideConfigKey("quarkus.redis.hosts", hosts)
                // the expiry sweep runs as the same user (its turn, its script), without CONFIG or notifications
                .overrideConfigKey("quarkus.redis-session.expiry-sweep-interval", "200MS");
    }

    @Inject
    TenantPurge purge;

    /** The servers the app uses, each with the user created. */
    abstract List<RedisServer> servers();

    @Test
    void theSessionPathAndAPurgeRunWithNothingRefused() {
        servers().forEach(server -> server.cli("CONFIG", "RESETSTAT"));

        String id = Sessions.put(null, "a", "\"1\""); // SET NX
        assertEquals(1, counter(id)); // GETEX, EVALSHA (EVAL once when the server lacks the script)
        given().cookie("JSESSIONID", id).queryParam("seconds", 120).put("/s/max-inactive").then().statusCode(204);
        given().cookie("JSESSIONID", id).get("/s/attr/a").then().statusCode(200); // GETEX and PEXPIRE
        String rotated = given().cookie("JSESSIONID", id).post("/s/rotate").then().statusCode(200).extract()
                .path("id"); // EVALSHA moving the session, reading the tenant's purge fence
        assertEquals(2, counter(rotated));
        given().cookie("JSESSIONID", rotated).post("/s/invalidate").then().statusCode(204); // DEL

        for (int i = 0; i < 12; i++) {
            Sessions.put(null, "n", String.valueOf(i));
        }
        assertEquals(12L, purge.countSessions("default").await().atMost(Duration.ofSeconds(30)));
        PurgeJob end = purge.purgeToEnd("default").await().atMost(Duration.ofSeconds(60));
        assertEquals(PurgeState.COMPLETED, end.state(), String.valueOf(end));
        assertEquals(12L, end.deleted(), String.valueOf(end));
        assertEquals(0L, purge.countSessions("default").await().atMost(Duration.ofSeconds(30)));

        String brief = Sessions.put(null, "b", "\"1\"");
        given().cookie("JSESSIONID", brief).queryParam("seconds", 1).put("/s/max-inactive").then().statusCode(204);
        Poll.until(Duration.ofSeconds(20), "the sweep to remove the expired session from the expiry index",
                () -> !indexed(brief));

        Set<String> sent = new TreeSet<>();
        for (RedisServer server : servers()) {
            assertEquals("", server.cli("ACL", "LOG"), "nothing was denied on " + server);
            assertTrue(server.cli("CLIENT", "LIST").contains("user=" + RestrictedUser.NAME),
                    "the app is connected to " + server + " as " + RestrictedUser.NAME);
            sent.addAll(server.commandStats().keySet());
        }
        assertTrue(sent.containsAll(SESSION_COMMANDS), "the scenario ran every session command: " + sent);
    }

    /** Whether an expiry index on one of the servers still holds the session of tenant {@code default}. */
    private boolean indexed(String id) {
        for (RedisServer server : servers()) {
            for (String index : server.cli("KEYS", "session:#expiry*").split("\n")) {
                if (!index.isBlank() && !index.endsWith(":users")
                        && !server.cli("ZSCORE", index, "default:" + id).isBlank()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int counter(String id) {
        Response response = given().cookie("JSESSIONID", id).post("/s/counter");
        response.then().statusCode(200);
        return Integer.parseInt(response.asString().trim());
    }
}
