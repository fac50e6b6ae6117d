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
        document.apply(changes, null, Instant.parse("2026-01-18T10:15:00Z"), Instant.parse("2026-01-18T10:30:00Z"));
        SessionDocument read = codec.parse(codec.write(document));
        assertEquals(nested, codec.decode("nested", read.attribute("nested"), null));
        assertEquals(9_007_199_254_740_993L, codec.decode("big", read.attribute("big"), null), "no float rounding");
        assertEquals(Instant.parse("2026-01-18T10:00:00Z"), read.createdAt(null));
        assertEquals(List.of("nested", "big").size(), read.attributeNames().size());
    }

    record Point(int x, Integer y, String label, java.time.Instant at, Point parent) {
    }

    record Tagged(String name, List<String> tags) {
    }

    enum Color {
        RED
    }

    @Test
    void onlyValuesThatCanChangeInPlaceAreCompared() {
        for (Object immutable : new Object[] { "s", 1, 2L, 2.5, true, java.math.BigDecimal.ONE, Color.RED,
                new Point(1, 2, "p", Instant.EPOCH, null) }) {
            assertEquals(false, codec.canChangeInPlace(immutable), immutable.getClass().getName());
        }
        for (Object mutable : new Object[] { new java.util.ArrayList<>(), new HashMap<>(), List.of(),
                new Tagged("t", new java.util.ArrayList<>()), new java.util.Date() }) {
            assertEquals(true, codec.canChangeInPlace(mutable), mutable.getClass().getName());
        }
    }

    @Test
    void accessTimeOnlyMovesForward() {
        SessionDocument document = SessionDocument.create(Instant.parse("2026-01-18T10:00:00Z"));
        document.apply(Map.of(), null, Instant.EPOCH, Instant.parse("2026-01-18T10:30:00Z"));
        document.apply(Map.of(), null, Instant.EPOCH, Instant.parse("2026-01-18T10:20:00Z"));
        assertEquals(Instant.parse("2026-01-18T10:30:00Z"), document.lastAccessedAt(null));
        assertEquals(Instant.parse("2026-01-18T10:00:00Z"), document.createdAt(null), "created_at is never restamped");
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
