package dev.redissession.deployment.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.PurgeJob;
import dev.redissession.PurgeState;
import dev.redissession.testing.RedisCliException;
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

    /**
     * A slot being migrated has keys on two nodes, which the slot map (and its end-of-job comparison) does not show:
     * the job refuses to report completed, and a re-run once the slot is stable completes.
     */
    @Test
    void aSlotMigrationFailsTheJob() {
        seed("moving", 40);
        int slot = 100; // not the first slot of a master, so no route key of the purge is in it
        RedisServer owner = null;
        String ownerId = null;
        for (RedisServer node : CLUSTER.nodes()) {
            String target = CLUSTER.nodes().stream().filter(other -> other != node).findFirst().orElseThrow()
                    .cli("CLUSTER", "MYID");
            try {
                node.cli("CLUSTER", "SETSLOT", String.valueOf(slot), "MIGRATING", target);
                owner = node;
                ownerId = node.cli("CLUSTER", "MYID");
                break;
            } catch (RedisCliException notTheOwner) {
                // the next node, then
            }
        }
        assertNotNull(owner, "some master owns slot " + slot);
        PurgeJob refused;
        try {
            refused = purge.purgeToEnd("moving").await().atMost(Duration.ofSeconds(60));
        } finally {
            owner.cli("CLUSTER", "SETSLOT", String.valueOf(slot), "STABLE");
        }
        assertEquals(PurgeState.FAILED, refused.state(), String.valueOf(refused));
        assertTrue(refused.error().contains("slot " + slot + " migrating") && refused.error().contains("again"),
                refused.error());
        assertFalse(refused.error().contains(ownerId) || refused.error().contains("127.0.0.1"), refused.error());
        assertEquals(40L, count("moving"), "refused before deleting anything");

        PurgeJob rerun = purge.purgeToEnd("moving").await().atMost(Duration.ofSeconds(60));
        assertEquals(PurgeState.COMPLETED, rerun.state(), String.valueOf(rerun));
        assertEquals(0L, count("moving"));
    }

    private static long keysOf(RedisServer node, String tenant) {
        String out = node.cli("--scan", "--pattern", PREFIX + tenant + ":*");
        return out.isBlank() ? 0 : out.split("\n").length;
    }
}
