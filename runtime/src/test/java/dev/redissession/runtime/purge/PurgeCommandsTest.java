package dev.redissession.runtime.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import dev.redissession.runtime.keys.ClusterSlots;

/** The pieces of the purge that need no Redis: route keys and the rate limiter. */
class PurgeCommandsTest {

    @Test
    void routeKeyHashesToTheRequestedSlot() {
        for (int slot : new int[] { 0, 1, 5460, 5461, 10922, 10923, 16383 }) {
            assertEquals(slot, ClusterSlots.slot(PurgeCommands.routeKey(slot)));
        }
    }

    /** Real CLUSTER NODES lines (Redis 7), with a slot being migrated and one being imported. */
    @Test
    void slotMigrationsAreReadFromClusterNodes() {
        String stable = """
                e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30004@40004 myself,master - 0 0 1 connected 0-5460
                67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:30002@40002 master - 0 1426238316232 2 connected                 5461-10922
                292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 127.0.0.1:30003@40003 master - 0 1426238318243 3 connected                 10923-16383
                """;
        assertEquals(List.of(), PurgeCommands.parseMigrations(stable));
        String migrating = "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30004@40004 myself,master - 0 0 1 "
                + "connected 0-5460 [100->-67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1]\n";
        assertEquals(List.of("slot 100 migrating"), PurgeCommands.parseMigrations(migrating));
        String importing = "67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:30002@40002 myself,master - 0 0 2 "
                + "connected 5461-10922 [100-<-e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca] "
                + "[16000-<-292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f]\n";
        assertEquals(List.of("slot 100 importing", "slot 16000 importing"), PurgeCommands.parseMigrations(importing));
    }

    @Test
    void rateLimiterSpacesPagesByTheirKeyCount() {
        PurgeEngine.RateLimiter limiter = new PurgeEngine.RateLimiter(OptionalInt.of(100));
        assertEquals(0, limiter.reserve(50), "the first page goes at once");
        long second = limiter.reserve(50);
        assertTrue(second > 400_000_000L && second <= 500_000_000L, "50 keys at 100/s = 0.5 s, got " + second);
        long third = limiter.reserve(10);
        assertTrue(third > 900_000_000L && third <= 1_000_000_000L, "then 1 s after the start, got " + third);
        assertEquals(0, limiter.reserve(0), "a page without sessions never waits");
    }

    @Test
    void noRateLimitNeverWaits() {
        PurgeEngine.RateLimiter limiter = new PurgeEngine.RateLimiter(OptionalInt.empty());
        for (int i = 0; i < 10; i++) {
            assertEquals(0, limiter.reserve(1_000_000));
        }
    }

    @Test
    void settingsRefuseNonsense() {
        java.time.Duration s = java.time.Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> new PurgeSettings(0, 1, OptionalInt.empty(), s, s, s, s));
        assertThrows(IllegalArgumentException.class, () -> new PurgeSettings(1, 0, OptionalInt.empty(), s, s, s, s));
        assertThrows(IllegalArgumentException.class, () -> new PurgeSettings(1, 1, OptionalInt.of(0), s, s, s, s));
    }
}
