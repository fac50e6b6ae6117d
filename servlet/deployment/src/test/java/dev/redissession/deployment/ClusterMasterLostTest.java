package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.restassured.response.Response;

/**
 * A master of a cluster without replicas is lost for good: while the cluster requires full coverage (the default),
 * its {@code CLUSTERDOWN} is a 503 after a 1.5 s grace, not after the deadline; with
 * {@code cluster-require-full-coverage no} the sessions on the live masters answer again and every login succeeds (a
 * creation whose slot fails tries another id).
 * Uses a cluster of its own, since it kills a node.
 */
class ClusterMasterLostTest {

    static final RedisCluster CLUSTER = TestRedis.dedicatedCluster("cluster-master-lost-test", 0,
            "--cluster-node-timeout", "1000");
    /** The default {@code quarkus.redis-session.timeout}. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String PREFIX = "session:default:";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(CLUSTER, SessionServlet.class, Sessions.class);

    @AfterAll
    static void stopCluster() {
        CLUSTER.stop();
    }

    @Test
    void clusterDownIsAnsweredAtOnceAndWithoutFullCoverageTheLiveMastersServeAndLoginsSucceed() {
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            before.add(Sessions.put(null, "n", String.valueOf(i)));
        }
        RedisServer lost = CLUSTER.nodes().get(0);
        List<RedisServer> live = CLUSTER.nodes().subList(1, 3);
        String onLost = lost.cli("KEYS", PREFIX + "*");
        List<String> onLive = before.stream().filter(id -> !onLost.contains(id)).toList();
        assertTrue(!onLive.isEmpty() && onLive.size() < before.size(), "the sessions spread over all three masters");
        lost.stop();

        // The default, cluster-require-full-coverage yes: once the lost master is marked failed, every node answers
        // CLUSTERDOWN, and that is a 503 after a short grace (a failover's window), not after the deadline.
        Poll.until(Duration.ofSeconds(15), "the live masters to report the cluster down", () -> live.stream()
                .allMatch(node -> node.cli("CLUSTER", "INFO").contains("cluster_state:fail")));
        long asked = System.nanoTime();
        Response down = given().cookie("JSESSIONID", onLive.get(0)).get("/s/attr/n");
        long readMillis = (System.nanoTime() - asked) / 1_000_000;
        asked = System.nanoTime();
        Response login = given().body("1").put("/s/attr/user");
        long loginMillis = (System.nanoTime() - asked) / 1_000_000;
        assertEquals(503, down.statusCode(), down.asString());
        assertEquals(503, login.statusCode(), login.asString());
        assertTrue(readMillis < TIMEOUT.toMillis() / 2 && loginMillis < TIMEOUT.toMillis() / 2,
                "CLUSTERDOWN answered in " + readMillis + " ms (read) and " + loginMillis + " ms (login), not well "
                        + "under the " + TIMEOUT.toMillis() + " ms deadline");

        // cluster-require-full-coverage no: the live masters serve their slots again.
        for (RedisServer node : live) {
            node.cli("CONFIG", "SET", "cluster-require-full-coverage", "no");
        }
        long partial = System.nanoTime();
        Poll.until(Duration.ofSeconds(10), "the sessions on the live masters to answer",
                () -> onLive.stream().allMatch(id -> given().cookie("JSESSIONID", id).get("/s/attr/n")
                        .statusCode() == 200));
        long liveBackMillis = (System.nanoTime() - partial) / 1_000_000;
        // 12 logins: each new session whose slot the lost master served tries another id.
        long loginsStarted = System.nanoTime();
        for (int i = 0; i < 12; i++) {
            String id = Sessions.put(null, "user", "\"kim" + i + "\"");
            given().cookie("JSESSIONID", id).get("/s/attr/user").then().statusCode(200);
        }
        long loginsMillis = (System.nanoTime() - loginsStarted) / 1_000_000;
        // A rotation keeps its session's slot: on a live master it works.
        given().cookie("JSESSIONID", onLive.get(1)).post("/s/rotate").then().statusCode(200);
        System.out.printf("ClusterMasterLostTest: CLUSTERDOWN 503 in %d ms (read), %d ms (login); live masters' "
                + "sessions answer %d ms after full-coverage no; 12 logins in %d ms%n", readMillis, loginMillis,
                liveBackMillis, loginsMillis);
    }
}
