package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisCluster;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The store's sockets to one cluster node stop carrying anything while staying open, and new connections to it still
 * work: the sessions on that node answer again after two deadlines and a rebuild, through new sockets, and the others
 * never stop.
 * Uses a cluster of its own whose first node announces itself at a proxy that black-holes the connections it holds.
 */
class ClusterDeadSocketTest {

    static final RedisCluster CLUSTER = TestRedis.dedicatedCluster("cluster-dead-socket-test");
    static final RedisServer NODE = CLUSTER.nodes().get(0);
    static final DelayingProxy.Handle PROXY = DelayingProxy.dedicated("cluster-dead-socket-test", NODE.port());
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final String PREFIX = "session:default:";

    static {
        // Clients reach the node through the proxy once every node's slot map names the proxy's port for it.
        String port = PROXY.uri().substring(PROXY.uri().lastIndexOf(':') + 1);
        NODE.cli("CONFIG", "SET", "cluster-announce-port", port);
        Poll.until(Duration.ofSeconds(20), "every node to name the proxy for " + NODE, () -> CLUSTER.nodes().stream()
                .allMatch(n -> n.cli("CLUSTER", "SLOTS").contains(port)));
    }

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(CLUSTER, SessionServlet.class, Sessions.class, DelayingProxy.class,
            DelayingProxy.Handle.class)
            .overrideConfigKey("quarkus.redis-session.timeout", "1S");

    @AfterAll
    static void stopCluster() {
        CLUSTER.stop();
    }

    @Test
    void blackHoledSocketsToOneNodeAreReplaced() {
        String onNode = null;
        String elsewhere = null;
        for (int i = 0; i < 60 && (onNode == null || elsewhere == null); i++) {
            String id = Sessions.put(null, "n", String.valueOf(i));
            if (NODE.cli("KEYS", PREFIX + id).contains(id)) { // KEYS, unlike EXISTS, is not redirected
                onNode = id;
            } else {
                elsewhere = id;
            }
        }
        assertTrue(onNode != null && elsewhere != null, "sessions on the proxied node and on another");
        given().cookie("JSESSIONID", onNode).get("/s/attr/n").then().statusCode(200);
        long connectionsBefore = PROXY.acceptedConnections();
        PROXY.blackHoleOpenConnections();
        long start = System.nanoTime();
        String proxied = onNode;
        Poll.until(Duration.ofSeconds(10), "the session on the black-holed node to answer again",
                () -> given().cookie("JSESSIONID", proxied).get("/s/attr/n").statusCode() == 200);
        Duration recovered = Duration.ofNanos(System.nanoTime() - start);
        given().cookie("JSESSIONID", elsewhere).get("/s/attr/n").then().statusCode(200);
        // The connection the first request timed out on is rebuilt in the background, with new sockets; the next
        // request goes round to the other connection, still the old one, and waits its deadline too.
        assertTrue(recovered.compareTo(TIMEOUT.multipliedBy(3)) <= 0,
                "the node's sessions answered again " + recovered.toMillis() + " ms after the black hole, more than "
                        + "two deadlines and a rebuild (" + TIMEOUT.multipliedBy(3).toMillis() + " ms)");
        assertTrue(PROXY.acceptedConnections() > connectionsBefore, "the store opened new sockets");
        System.out.println("ClusterDeadSocketTest: recovered after " + recovered.toMillis() + " ms");
    }
}
