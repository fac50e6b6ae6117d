package dev.redissession.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class SessionTimeoutsTest {

    final SessionTimeouts timeouts = new SessionTimeouts(Duration.ofMinutes(30), Duration.ofHours(8), Duration.ofMinutes(10));
    final Instant now = Instant.parse("2026-01-18T12:00:00Z");

    @Test
    void ttlIsTheSmallerRemainder() {
        assertEquals(1_800_000, timeouts.ttlMillis(now.minusSeconds(60), null, false, now));
        assertEquals(1_800_000, timeouts.defaultTtlMillis());
        assertEquals(600_000, timeouts.ttlMillis(now.minus(Duration.ofHours(8)).plusSeconds(600), null, false, now));
        assertEquals(120_000, timeouts.ttlMillis(now, 120, false, now));
        assertEquals(Duration.ofHours(8).toMillis(), timeouts.ttlMillis(now, 0, false, now), "no idle timeout");
        assertEquals(-1000, timeouts.ttlMillis(now.minus(Duration.ofHours(8)).minusSeconds(1), null, false, now));
    }

    @Test
    void aDefaultOfZeroMeansNoIdleTimeout() {
        // web.xml <session-timeout>0</session-timeout>: only the absolute lifetime bounds the session.
        SessionTimeouts never = new SessionTimeouts(Duration.ZERO, Duration.ofHours(8), Duration.ofMinutes(10));
        assertEquals(Duration.ofHours(8).toMillis(), never.defaultTtlMillis());
        assertEquals(Duration.ofHours(8).toMillis(), never.ttlMillis(now, null, false, now));
        assertEquals(120_000, never.ttlMillis(now, 120, false, now), "setMaxInactiveInterval still wins");
    }

    @Test
    void anAnonymousSessionHasTheAnonymousIdleTimeoutUnlessItSetItsOwn() {
        assertEquals(600_000, timeouts.ttlMillis(now, null, true, now));
        assertEquals(3_600_000, timeouts.ttlMillis(now, 3600, true, now), "setMaxInactiveInterval still wins");
        assertEquals(60_000, timeouts.ttlMillis(now.minus(Duration.ofHours(8)).plusSeconds(60), null, true, now));
        SessionTimeouts shortDefault = new SessionTimeouts(Duration.ofMinutes(5), Duration.ofHours(8),
                Duration.ofMinutes(10));
        assertEquals(300_000, shortDefault.ttlMillis(now, null, true, now), "never longer than the default");
    }
}
