package dev.redissession.runtime.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.redissession.runtime.keys.ClusterSlotMap;
import dev.redissession.runtime.keys.ClusterSlotMap.Range;
import dev.redissession.runtime.keys.ClusterSlots;
import dev.redissession.runtime.purge.ClusterTopology.ScanNode;
import dev.redissession.runtime.purge.ClusterTopology.Topology;
import dev.redissession.runtime.purge.PurgeCommands.ClusterChangedException;

/** The cluster topology without Redis: scan nodes from CLUSTER SLOTS, CLUSTER NODES parsing, route keys. */
class ClusterTopologyTest {

    private static final String A = "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca";
    private static final String B = "67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1";

    @Test
    void routeKeyHashesToTheRequestedSlot() {
        for (int slot : new int[] { 0, 1, 5460, 5461, 10922, 10923, 16383 }) {
            assertEquals(slot, ClusterSlots.slot(ClusterTopology.routeKey(slot)));
        }
    }

    /** Each master is scanned once, with all its slots and a route key into its first one. */
    @Test
    void eachMasterIsScannedOnceWithARouteKeyIntoItsSlots() {
        Topology topology = ClusterTopology.topology(new ClusterSlotMap(List.of(new Range(0, 5460, "127.0.0.1", 30001,
                A), new Range(5461, 10922, "127.0.0.1", 30002, B), new Range(10923, 16383, "127.0.0.1", 30001, A))));

        assertEquals(2, topology.nodes().size());
        ScanNode a = topology.nodes().get(0);
        assertEquals(A, a.id());
        assertEquals("127.0.0.1:30001", a.address());
        assertEquals(5461 + 5461, a.slots().size());
        assertEquals(0, ClusterSlots.slot(a.routeKey()));
        assertEquals(5461, ClusterSlots.slot(topology.nodes().get(1).routeKey()));
    }

    @Test
    void aClusterWithUnservedSlotsIsRefused() {
        ClusterChangedException refused = assertThrows(ClusterChangedException.class,
                () -> ClusterTopology.topology(new ClusterSlotMap(List.of(new Range(0, 16000, "h", 1, A)))));
        assertTrue(refused.getMessage().contains("16001 of 16384"), refused.getMessage());
        assertEquals("cluster_changed", refused.errorCode());
    }

    /** Real CLUSTER NODES lines (Redis 7), with a slot being migrated and one being imported. */
    @Test
    void slotMigrationsAreReadFromClusterNodes() {
        String stable = """
                e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30004@40004 myself,master - 0 0 1 connected 0-5460
                67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:30002@40002 master - 0 1426238316232 2 connected                 5461-10922
                292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 127.0.0.1:30003@40003 master - 0 1426238318243 3 connected                 10923-16383
                """;
        assertEquals(List.of(), ClusterTopology.parseMigrations(stable));
        String migrating = "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30004@40004 myself,master - 0 0 1 "
                + "connected 0-5460 [100->-67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1]\n";
        assertEquals(List.of("slot 100 migrating"), ClusterTopology.parseMigrations(migrating));
        String importing = "67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:30002@40002 myself,master - 0 0 2 "
                + "connected 5461-10922 [100-<-e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca] "
                + "[16000-<-292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f]\n";
        assertEquals(List.of("slot 100 importing", "slot 16000 importing"), ClusterTopology.parseMigrations(importing));
    }
}
