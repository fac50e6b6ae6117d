package dev.redissession.runtime.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SessionIdsTest {

    @Test
    void generatedIdsAreValidAndDistinct() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = SessionIds.generate();
            assertTrue(SessionIds.isValid(id), id);
            assertEquals(32, id.length());
            ids.add(id);
        }
        assertEquals(1000, ids.size());
    }

    @Test
    void formatCheckAcceptsUuidsAndRefusesAnythingThatCouldReachAKeyOrAPattern() {
        assertTrue(SessionIds.isValid("550e8400-e29b-41d4-a716-446655440000"));
        assertTrue(SessionIds.isValid("AZaz09_-".repeat(2)), "16 characters of the whole alphabet");
        assertTrue(SessionIds.isValid("x".repeat(128)));
        for (String bad : new String[] { null, "", "short", "x".repeat(15), "a:b:cccccccccccccccccc",
                "abc*defghijklmnopqrs", "abcdefghijklmnop?", "x".repeat(129), "abcdefghijklmnopq r",
                "abcdefghijklmnoé", "abcdefghijklmno٣", "abcdefghijklmno[", "abcdefghijklmno{" }) {
            assertFalse(SessionIds.isValid(bad), String.valueOf(bad));
        }
    }

    @Test
    void rotatedIdsStayInTheSlotOfTheOldKey() {
        SessionKeys keys = new SessionKeys("session:");
        for (int i = 0; i < 20; i++) {
            String old = keys.key("acme", SessionIds.generate());
            String fresh = SessionIds.generateInSlot(ClusterSlots.slot(old), keys.key("acme", ""));
            assertTrue(SessionIds.isValid(fresh));
            assertEquals(ClusterSlots.slot(old), ClusterSlots.slot(keys.key("acme", fresh)));
        }
    }

    @Test
    void aHashTagInThePrefixFixesTheSlotOfEveryId() {
        SessionKeys keys = new SessionKeys("{sessions}:");
        String old = keys.key("acme", SessionIds.generate());
        String fresh = SessionIds.generateInSlot(ClusterSlots.slot(old), keys.key("acme", ""));
        assertEquals(ClusterSlots.slot(old), ClusterSlots.slot(keys.key("acme", fresh)));
    }

    @Test
    void logsNeverSeeAWholeSessionId() {
        assertEquals("session:acme:AbCd...", SessionKeys.redact("session:acme:AbCdEfGhIjKlMnOpQrStUvWxYz012345"));
    }
}
