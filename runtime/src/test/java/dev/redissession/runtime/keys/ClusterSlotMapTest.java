package dev.redissession.runtime.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.redissession.runtime.keys.ClusterSlotMap.Master;
import dev.redissession.runtime.keys.ClusterSlotMap.Range;

/** {@code CLUSTER SLOTS} ranges read into masters, coverage and a fingerprint, without Redis. */
class ClusterSlotMapTest {

    private static final String A = "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca";
    private static final String B = "67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1";

    /** A master that serves two ranges is one master, with every slot of both; its first slot is its lowest. */
    @Test
    void eachMasterOnceWithAllItsSlots() {
        ClusterSlotMap map = new ClusterSlotMap(List.of(new Range(10923, 16383, "127.0.0.1", 30001, A),
                new Range(5461, 10922, "127.0.0.1", 30002, B), new Range(0, 5460, "127.0.0.1", 30001, A)));

        List<Master> masters = map.masters();
        assertEquals(2, masters.size());
        Master a = masters.get(0);
        assertEquals(A, a.id());
        assertEquals("127.0.0.1:30001", a.address());
        assertEquals(5461 + 5461, a.slots().size());
        assertEquals(0, a.firstSlot());
        assertTrue(a.slots().contains(16383) && !a.slots().contains(5461));
        assertEquals(5461, masters.get(1).firstSlot());
        assertEquals(5462, masters.get(1).slots().size());
        assertTrue(map.servesAll());
    }

    @Test
    void mastersAreSortedByAddress() {
        ClusterSlotMap map = new ClusterSlotMap(List.of(new Range(0, 8191, "h", 2, A), new Range(8192, 16383, "h", 1,
                B)));
        assertEquals(List.of("h:1", "h:2"), map.masters().stream().map(Master::address).toList());
    }

    @Test
    void unservedSlotsAreCounted() {
        ClusterSlotMap map = new ClusterSlotMap(List.of(new Range(0, 16000, "h", 1, A)));
        assertFalse(map.servesAll());
        assertEquals(16001, map.served());
        assertEquals("the cluster serves 16001 of 16384 slots", map.coverage());
    }

    @Test
    void theFingerprintChangesWhenASlotMovesAndNotWithTheOrderOfTheReply() {
        ClusterSlotMap before = new ClusterSlotMap(List.of(new Range(0, 8191, "h", 1, A),
                new Range(8192, 16383, "h", 2, B)));
        ClusterSlotMap reordered = new ClusterSlotMap(List.of(new Range(8192, 16383, "h", 2, B),
                new Range(0, 8191, "h", 1, A)));
        ClusterSlotMap moved = new ClusterSlotMap(List.of(new Range(0, 8190, "h", 1, A),
                new Range(8191, 16383, "h", 2, B)));

        assertEquals(before.fingerprint(), reordered.fingerprint());
        assertNotEquals(before.fingerprint(), moved.fingerprint());
    }

    /** Without node ids (before Redis 4) a master is known by its address. */
    @Test
    void mastersWithoutIdsAreKnownByAddress() {
        ClusterSlotMap map = new ClusterSlotMap(List.of(new Range(0, 16383, "10.0.0.1", 7000, null)));
        assertEquals("10.0.0.1:7000", map.masters().get(0).id());
    }
}
