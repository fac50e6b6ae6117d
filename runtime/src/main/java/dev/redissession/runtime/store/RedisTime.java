package dev.redissession.runtime.store;

import java.time.Duration;
import java.time.Instant;

/**
 * One reading of Redis's clock ({@code TIME}), tied to this replica's monotonic clock at the middle of the round trip
 * that fetched it, so the time by Redis's clock can be told later without asking again.
 *
 * @param redisMicros what {@code TIME} answered, in microseconds since the epoch
 * @param midNanos {@link System#nanoTime()} half-way between sending {@code TIME} and its answer
 * @param roundTripNanos how long that took: the reading is off by at most half of it
 */
record RedisTime(long redisMicros, long midNanos, long roundTripNanos) {

    /** A reading older than this is replaced even by a slower one: the monotonic clock's drift could exceed that. */
    static final Duration STALE = Duration.ofMinutes(5);

    /** A reading from {@code TIME}'s answer (seconds, microseconds) and the monotonic times around the round trip. */
    static RedisTime of(long seconds, long micros, long sentNanos, long answeredNanos) {
        long roundTrip = answeredNanos - sentNanos;
        return new RedisTime(seconds * 1_000_000L + micros, sentNanos + roundTrip / 2, roundTrip);
    }

    /** Whether this reading is better than {@code current} (none yet: {@code null}): quicker, or current is stale. */
    boolean replaces(RedisTime current) {
        return current == null || roundTripNanos <= current.roundTripNanos
                || midNanos - current.midNanos > STALE.toNanos();
    }

    /** Redis's time when this replica's monotonic clock reads {@code nanos}. */
    Instant at(long nanos) {
        long micros = redisMicros + Math.floorDiv(nanos - midNanos, 1000L);
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    /** How far this replica's wall clock ({@code wallMillis} read at monotonic {@code nanos}) is behind Redis's. */
    long behindMillis(long wallMillis, long nanos) {
        return at(nanos).toEpochMilli() - wallMillis;
    }
}
