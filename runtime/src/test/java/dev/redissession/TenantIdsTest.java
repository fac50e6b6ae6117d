package dev.redissession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The hand-written tenant check is the documented pattern, character for character. */
class TenantIdsTest {

    @Test
    void agreesWithThePatternOnRandomAndEdgeInputs() {
        String alphabet = "aZ09._-*?[]{}:# \\é٣";
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder tenant = new StringBuilder();
            int length = random.nextInt(0, 70);
            for (int c = 0; c < length; c++) {
                tenant.append(alphabet.charAt(random.nextInt(i % 2 == 0 ? 7 : alphabet.length())));
            }
            String text = tenant.toString();
            assertEquals(TenantIds.PATTERN.matcher(text).matches(), TenantIds.isValid(text), text);
        }
        assertTrue(TenantIds.isValid("a".repeat(64)));
        assertFalse(TenantIds.isValid("a".repeat(65)));
        assertFalse(TenantIds.isValid(".acme"));
        assertFalse(TenantIds.isValid(null));
        assertThrows(InvalidTenantException.class, () -> TenantIds.require("acme*"));
        assertEquals("acme-eu.1_x", TenantIds.require("acme-eu.1_x"));
    }
}
