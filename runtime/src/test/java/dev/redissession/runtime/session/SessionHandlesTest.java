package dev.redissession.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.redissession.runtime.keys.SessionIds;

class SessionHandlesTest {

    @Test
    void aHandleIsStableShortAndDoesNotContainTheId() {
        String id = SessionIds.generate();
        String handle = SessionHandles.of(id);
        assertEquals(handle, SessionHandles.of(id));
        assertEquals(16, handle.length());
        assertTrue(SessionHandles.isWellFormed(handle));
        assertFalse(id.contains(handle));
        assertNotEquals(handle, SessionHandles.of(SessionIds.generate()));
    }

    @Test
    void onlyHandleShapedTextIsWellFormed() {
        assertFalse(SessionHandles.isWellFormed(null));
        assertFalse(SessionHandles.isWellFormed("short"));
        assertFalse(SessionHandles.isWellFormed("abcdefghijklmno*"));
        assertFalse(SessionHandles.isWellFormed(SessionIds.generate()));
    }
}
