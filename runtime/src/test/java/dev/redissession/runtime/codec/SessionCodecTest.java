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

import com.fasterxml.jackson.databind.JsonNode;

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

    @Test
    void aSessionWithoutUserIdIsAnonymousAndAnyTextOrNumberNamesItsUser() {
        for (String anonymous : List.of("{}", "{\"user_id\":null}", "{\"name\":\"x\"}")) {
            SessionDocument document = codec.parse(anonymous.getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of(true, "null"), List.of(document.isAnonymous(), String.valueOf(document.userId())),
                    anonymous);
        }
        assertEquals("u-1", codec.parse("{\"user_id\":\"u-1\"}".getBytes(StandardCharsets.UTF_8)).userId());
        SessionDocument numbered = codec.parse("{\"user_id\":7}".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(false, "7"), List.of(numbered.isAnonymous(), numbered.userId()));
        // Signed in, though no event can name the user by an object.
        SessionDocument odd = codec.parse("{\"user_id\":{\"id\":1}}".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(false, "null"), List.of(odd.isAnonymous(), String.valueOf(odd.userId())));
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

    /**
     * The end-of-request check of values held in place agrees with encoding them: on values read from stored JSON
     * (random documents) it finds them unchanged, and whenever it says unchanged, encoding gives that same JSON.
     */
    @Test
    void encodesToAgreesWithEncode() {
        java.util.Random random = new java.util.Random(7);
        List<JsonNode> stored = new java.util.ArrayList<>();
        List<Object> decoded = new java.util.ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            // in an array: a value held in place is a container (and an attribute is never null)
            JsonNode json = codec.parse(("{\"v\":[" + randomJson(random, 0) + "]}")
                    .getBytes(StandardCharsets.UTF_8)).attribute("v");
            Object value = codec.decode("v", json, null);
            assertTrue(codec.encodesTo(value, json), json.toString());
            assertEquals(json, codec.encode("v", value).json(), json.toString());
            stored.add(json);
            decoded.add(value);
        }
        int unchanged = 0;
        for (int i = 0; i < 20_000; i++) {
            Object value = decoded.get(random.nextInt(decoded.size()));
            JsonNode json = stored.get(random.nextInt(stored.size()));
            if (codec.encodesTo(value, json)) {
                unchanged++;
                assertEquals(json, codec.encode("v", value).json(), value + " vs " + json);
            }
        }
        assertTrue(unchanged < 20_000, "the pairs were not all equal: " + unchanged);
    }

    @Test
    void encodesToSeesChangesMadeInPlace() {
        JsonNode json = codec.parse("{\"v\":{\"roles\":[\"a\",\"b\"],\"n\":1,\"x\":null}}"
                .getBytes(StandardCharsets.UTF_8)).attribute("v");
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) codec.decode("v", json, null);
        assertTrue(codec.encodesTo(value, json));
        @SuppressWarnings("unchecked")
        List<Object> roles = (List<Object>) value.get("roles");
        roles.add("c");
        assertEquals(false, codec.encodesTo(value, json), "an element added");
        roles.remove("c");
        roles.set(1, "B");
        assertEquals(false, codec.encodesTo(value, json), "an element replaced");
        roles.set(1, "b");
        value.put("n", 1L);
        assertEquals(false, codec.encodesTo(value, json), "1 as a Long is another JSON node than 1 as an int");
        value.put("n", 1);
        value.remove("x");
        assertEquals(false, codec.encodesTo(value, json), "a key removed");
        value.put("x", null);
        assertTrue(codec.encodesTo(value, json));
        SessionCodec registered = new SessionCodec(Map.of("tagged", Tagged.class));
        Tagged tagged = new Tagged("t", List.of());
        assertEquals(false, registered.encodesTo(tagged, registered.encode("t", tagged).json()),
                "a registered class is left to encode");
    }

    /** A random JSON value: scalars of every kind the parser yields, arrays and objects up to 4 levels deep. */
    private static String randomJson(java.util.Random random, int depth) {
        int kind = random.nextInt(depth < 4 ? 11 : 9);
        return switch (kind) {
            case 0 -> String.valueOf(random.nextInt(2000) - 1000);
            case 1 -> String.valueOf(random.nextLong());
            case 2 -> String.valueOf(random.nextInt(10) - 5 + random.nextInt(4) / 4.0);
            case 3 -> new java.math.BigInteger(80, random).toString();
            case 4 -> List.of("true", "false", "null").get(random.nextInt(3));
            case 5 -> "\"" + List.of("", "a", "é", "日本", "x\\\"y", "1").get(random.nextInt(6)) + "\"";
            case 6 -> List.of("2147483647", "2147483648", "-2147483649", "0", "-0", "1e3", "0.1").get(random.nextInt(7));
            case 7, 8 -> "\"" + Integer.toString(random.nextInt(100), 36) + "\"";
            case 9 -> {
                StringBuilder array = new StringBuilder("[");
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.append(randomJson(random, depth + 1)).append(i > 1 ? "," : "");
                }
                yield array.append("]").toString();
            }
            default -> {
                StringBuilder object = new StringBuilder("{");
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.append("\"k").append(i).append("\":").append(randomJson(random, depth + 1))
                            .append(i > 1 ? "," : "");
                }
                yield object.append("}").toString();
            }
        };
    }

    @Test
    void corruptValuesAreReportedNotRepaired() {
        assertThrows(CorruptSessionException.class, () -> codec.parse("{\"a\":".getBytes(StandardCharsets.UTF_8)));
        assertThrows(CorruptSessionException.class, () -> codec.parse("[1,2]".getBytes(StandardCharsets.UTF_8)));
    }
}
