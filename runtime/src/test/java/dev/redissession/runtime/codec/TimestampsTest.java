package dev.redissession.runtime.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The hand-written reading and writing of the session's times agree with java.time on every input. */
class TimestampsTest {

    private final SplittableRandom random = new SplittableRandom(20261201);

    @Test
    void formatIsWhatInstantToStringGivesToTheMillisecond() {
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L),
                    i % 3 == 0 ? 0 : random.nextInt(1_000_000_000));
            assertEquals(instant.truncatedTo(ChronoUnit.MILLIS).toString(), Timestamps.format(instant), instant::toString);
        }
        assertEquals("2026-12-01T15:25:00Z", Timestamps.format(Instant.parse("2026-12-01T15:25:00.000999Z")));
        assertEquals("2026-12-01T15:25:00.100Z", Timestamps.format(Instant.parse("2026-12-01T15:25:00.1Z")));
        assertEquals("+12026-01-01T00:00:00Z", Timestamps.format(Instant.parse("+12026-01-01T00:00:00Z")));
    }

    @Test
    void readsWhatItWritesAndWhatOtherServicesWrite() {
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(0, 253_000_000_000L), random.nextInt(1_000_000_000));
            String written = Timestamps.format(instant);
            assertEquals(instant.truncatedTo(ChronoUnit.MILLIS), Timestamps.parse(written), written);
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
            String foreign = instant.atOffset(offset).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            assertEquals(OffsetDateTime.parse(foreign).toInstant(), Timestamps.parse(foreign), foreign);
        }
    }

    @Test
    void acceptsAndRefusesExactlyWhatOffsetDateTimeParseDoes() {
        List<String> texts = List.of("2026-12-01T15:25:00Z", "2026-12-01t15:25:00z", "2026-12-01T15:25:00.1+09:00",
                "2026-12-01T15:25:00.123456789-05:30", "2026-12-01T15:25:00.1234567890Z", "2026-12-01T15:25:00.Z",
                "2026-12-01T15:25Z", "2026-12-01T15:25:00", "2026-12-01 15:25:00Z", "2026-02-29T10:00:00Z",
                "2024-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T23:59:60Z",
                "2026-12-01T15:25:00+18:01", "2026-12-01T15:25:00+05:30:15", "2026-12-01T15:25:00-00:00",
                "2026-12-01T15:25:00+0900", "+12026-12-01T15:25:00Z", "2026-12-01T15:25:00,5Z", "２０２６-12-01T15:25:00Z",
                "2026-12-01T15:25:0５Z", "", "garbage");
        for (String text : texts) {
            Instant expected;
            try {
                expected = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException refused) {
                assertThrows(DateTimeParseException.class, () -> Timestamps.parse(text), text);
                continue;
            }
            assertEquals(expected, Timestamps.parse(text), text);
        }
    }
}
