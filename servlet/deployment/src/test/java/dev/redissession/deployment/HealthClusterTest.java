package dev.redissession.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
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
 * The readiness check on a 3-master cluster (no replicas) probes every master: one master stopped keeps readiness UP
 * (the other two serve their sessions) with the stopped one named as failing, and the Redis client's own check, which
 * would be DOWN then, is off; every master stopped makes it DOWN. Uses a cluster of its own, since it stops its nodes.
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
    void aStoppedMasterIsNamedWhileReadinessStaysUpAndAllStoppedIsDown() {
        Response ready = Health.ready();
        ready.then().statusCode(200);
        Map<String, String> data = Health.storeData(ready);
        assertEquals("cluster", data.get("topology"));
        for (RedisServer node : CLUSTER.nodes()) {
            assertEquals("UP", data.get(address(node)), "each master with its state: " + data);
        }
        assertNull(data.get("failing"), data.toString());

        RedisServer stopped = CLUSTER.nodes().get(1);
        stopped.stop();
        Response partial = Poll.until(Duration.ofSeconds(20), "the stopped master to be named failing", Health::ready,
                response -> address(stopped).equals(Health.storeData(response).get("failing")));
        assertEquals(200, partial.statusCode(), partial.asString());
        assertEquals("UP", Health.storeStatus(partial));
        Map<String, String> partialData = Health.storeData(partial);
        assertTrue(partialData.get(address(stopped)).startsWith("unreachable: "), partialData.toString());
        for (RedisServer node : List.of(CLUSTER.nodes().get(0), CLUSTER.nodes().get(2))) {
            assertEquals("UP", partialData.get(address(node)), partialData.toString());
        }
        assertNull(partialData.get("reason"), partialData.toString());
        assertFalse(Health.checkNames(partial).contains(Health.REDIS_CLIENT_CHECK),
                "the Redis client's own check, DOWN on a partial outage, is off: " + partial.asString());

        CLUSTER.nodes().get(0).stop();
        CLUSTER.nodes().get(2).stop();
        Response down = Poll.until(Duration.ofSeconds(20), "readiness to be DOWN", Health::ready,
                response -> response.statusCode() == 503);
        assertEquals("DOWN", Health.storeStatus(down));
        String reason = Health.storeData(down).get("reason");
        assertTrue(reason.startsWith("unreachable: "), "no master reachable: " + reason);
    }

    private static String address(RedisServer node) {
        return node.host() + ":" + node.port();
    }
}
