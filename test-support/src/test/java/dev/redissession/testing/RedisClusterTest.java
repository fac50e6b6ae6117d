package dev.redissession.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

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

    /**
     * After a role change the nodes learn of it by gossip one after another; awaitReady returns only once every
     * node tells the new roles, so what the cluster reports next (masters, replicas) does not depend on whom it asks.
     */
    @Test
    void awaitReadyWaitsUntilEveryNodeKnowsARoleChange() {
        try (RedisCluster cluster = RedisCluster.start(3, 1)) {
            RedisServer oldMaster = cluster.masters().get(0);
            RedisServer replica = cluster.replicasOf(oldMaster).get(0);
            replica.cli("CLUSTER", "FAILOVER");
            Poll.until(Duration.ofSeconds(30), replica + " to take over", () -> replica.cli("ROLE").startsWith("master"));

            cluster.awaitReady(Duration.ofSeconds(30));

            for (RedisServer node : cluster.nodes()) {
                List<RedisCluster.ClusterNode> view = RedisCluster.ClusterNode.parse(node.cli("CLUSTER", "NODES"));
                RedisCluster.ClusterNode promoted = view.stream().filter(n -> n.port() == replica.port()).findFirst()
                        .orElseThrow();
                RedisCluster.ClusterNode demoted = view.stream().filter(n -> n.port() == oldMaster.port()).findFirst()
                        .orElseThrow();
                assertTrue(promoted.master(), node + " sees " + replica + " as master");
                assertEquals(promoted.id(), demoted.masterId(), node + " sees " + oldMaster + " replicating it");
            }
            assertEquals(List.of(oldMaster.port()),
                    cluster.replicasOf(replica).stream().map(RedisServer::port).toList());
        }
    }
}
