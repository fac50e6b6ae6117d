package dev.redissession.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

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
 * The readiness check on a 3-master cluster probes every master, and names the one that stopped. Uses a cluster of its
 * own, since it stops a node.
 */
class HealthClusterTest {

    static final RedisCluster CLUSTER = TestRedis.dedicatedCluster("health-cluster-test");

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.with(TestApps.on(CLUSTER, Health.class), TestApps.HEALTH)
            .overrideConfigKey("quarkus.redis-session.health.timeout", "3S");

    @AfterAll
    static void stopCluster() {
        CLUSTER.stop();
    }

    @Test
    void everyMasterIsProbedAndAStoppedOneIsNamed() {
        Response ready = Health.ready();
        ready.then().statusCode(200);
        Map<String, String> data = Health.storeData(ready);
        assertEquals("cluster", data.get("topology"));
        for (RedisServer node : CLUSTER.nodes()) {
            assertEquals("UP", data.get(node.host() + ":" + node.port()), "each master with its state: " + data);
        }

        RedisServer stopped = CLUSTER.nodes().get(1);
        stopped.stop();
        Response down = Poll.until(Duration.ofSeconds(20), "readiness to be DOWN", Health::ready,
                response -> response.statusCode() == 503);
        assertEquals("DOWN", Health.storeStatus(down));
        String reason = Health.storeData(down).get("reason");
        assertTrue(reason.startsWith("unreachable: ") && reason.contains(stopped.host() + ":" + stopped.port()),
                "the reason names the stopped master: " + reason);
    }
}
