package dev.redissession.runtime.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.redissession.runtime.keys.ClusterSlots;

/** The pieces of a job that need no Redis: the rate limiter, the settings and how a page's keys are unlinked. */
class PurgeJobPiecesTest {

    @Test
    void rateLimiterSpacesPagesByTheirKeyCount() {
        long[] now = { 1_000_000_000L };
        RateLimiter limiter = new RateLimiter(OptionalInt.of(100), () -> now[0]);
        assertEquals(0, limiter.reserve(50), "the first page goes at once");
        now[0] += 10_000_000L;
        assertEquals(490_000_000L, limiter.reserve(50), "50 keys at 100/s = 0.5 s after the start");
        assertEquals(1_000_000_000L - 10_000_000L, limiter.reserve(10), "then 1 s after the start");
        now[0] += 2_000_000_000L;
        assertEquals(0, limiter.reserve(10), "a page after a long pause goes at once");
        assertEquals(100_000_000L, limiter.reserve(10), "and the one after it waits for the first's 10 keys only");
        assertEquals(0, limiter.reserve(0), "a page without sessions never waits");
    }

    @Test
    void noRateLimitNeverWaits() {
        RateLimiter limiter = new RateLimiter(OptionalInt.empty());
        for (int i = 0; i < 10; i++) {
            assertEquals(0, limiter.reserve(1_000_000));
        }
    }

    @Test
    void settingsRefuseNonsense() {
        Duration s = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> new PurgeSettings(0, 1, OptionalInt.empty(), s, s, s, s, 1));
        assertThrows(IllegalArgumentException.class, () -> new PurgeSettings(1, 0, OptionalInt.empty(), s, s, s, s, 1));
        assertThrows(IllegalArgumentException.class, () -> new PurgeSettings(1, 1, OptionalInt.of(0), s, s, s, s, 1));
        assertThrows(IllegalArgumentException.class, () -> new PurgeSettings(1, 1, OptionalInt.empty(), s, s, s, s, 0));
    }

    @Test
    void standaloneUnlinksGoInBatchesOfTheConfiguredSize() {
        List<String> keys = IntStream.range(0, 1201).mapToObj(i -> "session:acme:" + i).toList();
        List<List<String>> groups = TenantScan.groups(keys, 500, false);
        assertEquals(List.of(500, 500, 201), groups.stream().map(List::size).toList());
        assertEquals(keys, groups.stream().flatMap(List::stream).toList(), "every key once, in order");
    }

    /** One UNLINK may only name keys of one slot on a cluster. */
    @Test
    void clusterUnlinksNameKeysOfOneSlotEach() {
        List<String> keys = IntStream.range(0, 300).mapToObj(i -> "session:acme:" + i).toList();
        List<List<String>> groups = TenantScan.groups(keys, 2, true);
        for (List<String> group : groups) {
            assertTrue(group.size() <= 2, String.valueOf(group));
            assertEquals(1, group.stream().map(ClusterSlots::slot).distinct().count(), String.valueOf(group));
        }
        assertEquals(300, groups.stream().mapToLong(List::size).sum());
        assertEquals(300, groups.stream().flatMap(List::stream).distinct().count());
    }
}
