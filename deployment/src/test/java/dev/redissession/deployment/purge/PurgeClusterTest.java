package dev.redissession.deployment.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.PurgeJob;
import dev.redissession.PurgeState;
import dev.redissession.testing.RedisCluster;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/** The purge scenarios on a 3-master Redis Cluster, plus proof that the SCAN visits every master. */
class PurgeClusterTest extends PurgeScenarios {

    static final RedisCluster CLUSTER = TestRedis.cluster();
    static final String PREFIX = "purge-cl:";

    @RegisterExtension
    static final QuarkusUnitTest TEST = app(PREFIX)
            .overrideConfigKey("quarkus.redis.hosts", CLUSTER.hosts())
            .overrideConfigKey("quarkus.redis.client-type", "cluster");

    @Override
    String prefix() {
        return PREFIX;
    }

    /** Every master runs SCAN pages of its own and deletes its own keys (per-slot UNLINKs, no CROSSSLOT). */
    @Test
    void scanVisitsEveryMasterAndDeletesOnEach() {
        seed("spread", 90);
        long[] before = CLUSTER.nodes().stream().mapToLong(node -> keysOf(node, "spread")).toArray();
        for (long onNode : before) {
            assertTrue(onNode > 0, "the tenant has keys on every master");
        }
        CLUSTER.resetStats();
        PurgeJob end = purge.purgeToEnd("spread").await().atMost(Duration.ofSeconds(60));
        assertEquals(PurgeState.COMPLETED, end.state(), String.valueOf(end));
        assertEquals(90L, end.deleted());
        for (RedisServer node : CLUSTER.nodes()) {
            assertTrue(node.commandCalls("scan") >= 1, node + " was scanned");
            assertTrue(node.commandCalls("cluster|myid") >= 1, node + " proved it answered its own SCAN");
            assertTrue(node.commandCalls("unlink") >= 1, node + " deleted its own keys");
            assertEquals(0L, keysOf(node, "spread"));
        }
    }

    private static long keysOf(RedisServer node, String tenant) {
        String out = node.cli("--scan", "--pattern", PREFIX + tenant + ":*");
        return out.isBlank() ? 0 : out.split("\n").length;
    }
}
