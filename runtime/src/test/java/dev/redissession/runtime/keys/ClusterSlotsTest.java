package dev.redissession.runtime.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClusterSlotsTest {

    @Test
    void matchesRedisClusterKeyslot() {
        // Values from CLUSTER KEYSLOT on Redis 7.
        assertEquals(12182, ClusterSlots.slot("foo"));
        assertEquals(12739, ClusterSlots.slot("123456789"));
        assertEquals(9418, ClusterSlots.slot("session:acme:abc"));
        assertEquals(10595, ClusterSlots.slot("{}x"), "an empty hash tag hashes the whole key");
        assertEquals(5061, ClusterSlots.slot("foo{bar}{zap}"), "the first hash tag decides");
        assertEquals(5061, ClusterSlots.slot("bar"));
    }

    @Test
    void everySlotHasATagThatPinsAKeyToIt() {
        for (int slot = 0; slot < ClusterSlots.SLOTS; slot++) {
            String tag = ClusterSlots.tag(slot);
            assertEquals(slot, ClusterSlots.slot("session:#purge:acme:{" + tag + "}"), tag);
            assertTrue(tag.length() <= 4, tag);
        }
    }
}
