package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisCluster;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A cluster master restarts (losing its keys, keeping its slots): the store's long-lived connections reconnect by
 * themselves, sessions on the other masters are kept, and new sessions on every master work again, without a
 * restart of the app. Uses a cluster of its own, since it restarts a node.
 */
class ClusterReconnectTest {

    static final RedisCluster CLUSTER = TestRedis.dedicatedCluster("cluster-reconnect-test");
    private static final String PREFIX = "session:default:";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(CLUSTER, SessionServlet.class, Sessions.class)
            .overrideConfigKey("quarkus.redis-session.timeout", "2S");

    @AfterAll
    static void stopCluster() {
        CLUSTER.stop();
    }

    @Test
    void aRestartedMasterIsReconnectedAndTheOthersKeepTheirSessions() {
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            before.add(Sessions.put(null, "n", String.valueOf(i)));
        }
        RedisServer restarted = CLUSTER.nodes().get(0);
        // Which sessions the restarted master holds (KEYS is fine on a test's own small cluster).
        String onRestarted = restarted.cli("KEYS", PREFIX + "*");
        restarted.restart();
        CLUSTER.awaitReady(Duration.ofSeconds(30));

        // Every master takes new sessions again, the restarted one included: 30 new sessions cover all three.
        Poll.until(Duration.ofSeconds(20), "30 new sessions to be stored and read back after the restart", () -> {
            for (int i = 0; i < 30; i++) {
                String id;
                try {
                    id = Sessions.put(null, "after", String.valueOf(i));
                } catch (AssertionError notYet) {
                    return false; // 503 while the store reconnects
                }
                if (given().cookie("JSESSIONID", id).get("/s/attr/after").statusCode() != 200) {
                    return false;
                }
            }
            return true;
        });
        for (String id : before) {
            int expected = onRestarted.contains(id) ? 401 : 200;
            given().cookie("JSESSIONID", id).get("/s/attr/n").then().statusCode(expected);
        }
        assertTrue(before.stream().anyMatch(onRestarted::contains) && !before.stream().allMatch(onRestarted::contains),
                "the 30 sessions spread over the restarted master and the others");
    }
}
