package dev.redissession.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisCluster;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * {@code replica-acks} on Redis Cluster: {@code WAIT} has no key, so the store pipelines it with the write, and it runs
 * on the master of the session's slot, never on another node: on every master the WAITs equal the session writes.
 */
class ClusterReplicaAcksTest {

    /** The cluster of {@link ClusterFailoverTest} (3 masters with a replica each), when both run in one JVM. */
    static final RedisCluster CLUSTER = TestRedis.dedicatedCluster("cluster-failover-test", 1,
            "--cluster-node-timeout", "2000");

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(CLUSTER, SessionServlet.class, Sessions.class)
            .overrideConfigKey("quarkus.redis-session.replica-acks", "1")
            .overrideConfigKey("quarkus.redis-session.replica-ack-timeout", "2S");

    @AfterAll
    static void stopCluster() {
        CLUSTER.stop();
    }

    @Test
    void waitRunsOnTheMasterOfEachWrite() throws Exception {
        // Every master knows the scripts, so no write takes the NOSCRIPT detour (which runs a WAIT of its own).
        for (String script : TestApps.storeScripts()) {
            CLUSTER.masters().forEach(master -> master.cli("SCRIPT", "LOAD", script));
        }
        CLUSTER.resetStats();
        for (int i = 0; i < 15; i++) {
            String id = Sessions.put(null, "n", String.valueOf(i)); // create-session script
            Sessions.put(id, "m", String.valueOf(i)); // write-session script
        }
        long waits = 0;
        for (RedisServer master : CLUSTER.masters()) {
            var stats = TestApps.sessionCommands(master);
            // Each write is one SET inside a script (commandstats counts it as set).
            assertEquals(stats.getOrDefault("set", 0L), stats.getOrDefault("wait", 0L), master + ": " + stats);
            waits += stats.getOrDefault("wait", 0L);
        }
        assertEquals(30, waits, "one WAIT per write");
        assertTrue(CLUSTER.masters().stream().filter(m -> m.commandCalls("wait") > 0).count() > 1,
                "the sessions spread over several masters");
    }
}
