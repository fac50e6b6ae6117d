package dev.redissession.runtime.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SessionCodecTest {

    final SessionCodec codec = new SessionCodec(Map.of());

    @Test
    void jsonValuesRoundTrip() {
        Map<String, Object> nested = Map.of("a", List.of(1, "two", true), "b", Map.of("c", 2.5));
        SessionDocument document = SessionDocument.create(Instant.parse("2026-01-18T10:00:00Z"));
        Map<String, SessionDocument.EncodedAttribute> changes = new HashMap<>();
        changes.put("nested", codec.encode("nested", nested));
        changes.put("big", codec.encode("big", 9_007_199_254_740_993L));
        document.apply(changes, null, Instant.parse("2026-01-18T10:30:00Z"));
        SessionDocument read = codec.parse(codec.write(document));
        assertEquals(nested, codec.decode("nested", read.attribute("nested"), null));
        assertEquals(9_007_199_254_740_993L, codec.decode("big", read.attribute("big"), null), "no float rounding");
        assertEquals(Instant.parse("2026-01-18T10:00:00Z"), read.createdAt(null));
        assertEquals(List.of("nested", "big").size(), read.attributeNames().size());
    }

    @Test
    void refusesWhatIsNotJson() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.encode("when", new java.util.Date()));
        assertTrue(e.getMessage().contains("'when'") && e.getMessage().contains("java.util.Date"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> codec.encode("m", Map.of(1, "x")));
        assertThrows(IllegalArgumentException.class, () -> codec.encode("last_accessed_at", "x"));
        assertThrows(IllegalArgumentException.class, () -> codec.encode("inf", Double.POSITIVE_INFINITY));
    }

    @Test
    void corruptValuesAreReportedNotRepaired() {
        assertThrows(CorruptSessionException.class, () -> codec.parse("{\"a\":".getBytes(StandardCharsets.UTF_8)));
        assertThrows(CorruptSessionException.class, () -> codec.parse("[1,2]".getBytes(StandardCharsets.UTF_8)));
    }
}
