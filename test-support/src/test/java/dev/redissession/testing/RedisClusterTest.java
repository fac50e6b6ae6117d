package dev.redissession.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedisClusterTest {

    @Test
    void threeMasterCluster() {
        try (RedisCluster cluster = RedisCluster.start(3)) {
            assertEquals(3, cluster.nodes().size());
            for (RedisServer node : cluster.nodes()) {
                assertTrue(node.cli("CLUSTER", "INFO").contains("cluster_state:ok"));
            }
            assertEquals(3, cluster.hosts().split(",").length);
            assertTrue(cluster.hosts().startsWith("redis://127.0.0.1:"));

            cluster.resetStats();
            assertEquals("OK", cluster.cli("SET", "k", "v"));
            assertEquals("v", cluster.cli("GET", "k"));
            assertEquals(1, cluster.dbSize());
            assertEquals(1, cluster.commandCalls("set")); // a MOVED redirect is not a call on the server
            assertEquals(1, cluster.commandStats().get("get"));

            cluster.cli("SET", "{a}1", "x");
            cluster.cli("SET", "b", "y");
            assertEquals(3, cluster.dbSize());
            cluster.flushAll();
            assertEquals(0, cluster.dbSize());
        }
    }
}
