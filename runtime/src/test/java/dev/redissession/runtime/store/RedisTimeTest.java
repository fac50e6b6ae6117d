package dev.redissession.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class RedisTimeTest {

    // TIME answered 1796687200 s 250000 µs = 2026-12-07T23:46:40.250Z, in a round trip of 4 ms from 1 000 ms.
    final RedisTime time = RedisTime.of(1_796_687_200L, 250_000L, 1_000_000_000L, 1_004_000_000L);

    @Test
    void theReadingIsRedisTimeAtTheMiddleOfTheRoundTrip() {
        assertEquals(1_002_000_000L, time.midNanos());
        assertEquals(4_000_000L, time.roundTripNanos());
        assertEquals(Instant.parse("2026-12-07T23:46:40.250Z"), time.at(1_002_000_000L));
    }

    @Test
    void laterTimesFollowTheMonotonicClockNotTheWallClock() {
        assertEquals(Instant.parse("2026-12-07T23:47:10.251Z"), time.at(1_002_000_000L + 30_001_000_000L));
        assertEquals(Instant.parse("2026-12-07T23:46:40.249999Z"), time.at(1_001_999_999L));
    }

    @Test
    void howFarTheWallClockIsBehind() {
        long redisMillis = Instant.parse("2026-12-07T23:46:40.250Z").toEpochMilli();
        assertEquals(7_200_000L, time.behindMillis(redisMillis - 7_200_000L, 1_002_000_000L), "2 h slow");
        assertEquals(-600_000L, time.behindMillis(redisMillis + 600_000L, 1_002_000_000L), "10 min fast");
    }

    @Test
    void aQuickerReadingReplacesASlowerOneAndAnyReplacesAStaleOne() {
        RedisTime slowFirst = RedisTime.of(1_796_687_200L, 0, 0, 1_300_000_000L); // opened the connection: 1.3 s
        RedisTime quick = RedisTime.of(1_796_687_201L, 0, 1_500_000_000L, 1_500_200_000L);
        RedisTime slowLater = RedisTime.of(1_796_687_230L, 0, 30_000_000_000L, 30_050_000_000L);
        assertTrue(slowFirst.replaces(null), "the first reading");
        assertTrue(quick.replaces(slowFirst));
        assertFalse(slowLater.replaces(quick), "a slower reading 30 s on");
        RedisTime slowMuchLater = RedisTime.of(1_796_687_600L, 0, 400_000_000_000L, 400_050_000_000L);
        assertTrue(slowMuchLater.replaces(quick), "more than 5 min on, the old one's drift could be larger");
    }

    @Test
    void theLogSaysHowFarAndWhichWay() {
        assertEquals("2 h 0 min 3 s behind", RedisClock.describe(7_203_400L));
        assertEquals("10 min 0 s ahead of", RedisClock.describe(-600_000L));
        assertEquals("1.2 s behind", RedisClock.describe(1_240L));
        assertEquals("2 h 0 min 0 s behind", RedisClock.describe(7_199_600L), "rounded, not cut");
    }
}
