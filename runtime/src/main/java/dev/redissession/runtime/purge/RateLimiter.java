package dev.redissession.runtime.purge;

import java.util.OptionalInt;
import java.util.function.LongSupplier;

/** The rate limit of one job, over all its nodes: each page reserves its keys and waits until they are due. */
final class RateLimiter {

    private final double nanosPerKey;
    /** {@link System#nanoTime}, or a test's clock. */
    private final LongSupplier clock;
    private long nextFree;

    RateLimiter(OptionalInt keysPerSecond) {
        this(keysPerSecond, System::nanoTime);
    }

    RateLimiter(OptionalInt keysPerSecond, LongSupplier clock) {
        this.nanosPerKey = keysPerSecond.isPresent() ? 1e9 / keysPerSecond.getAsInt() : 0;
        this.clock = clock;
        this.nextFree = clock.getAsLong();
    }

    /** The delay before {@code keyCount} keys may be deleted. */
    synchronized long reserve(int keyCount) {
        if (nanosPerKey == 0 || keyCount == 0) {
            return 0;
        }
        long now = clock.getAsLong();
        if (nextFree < now) {
            nextFree = now;
        }
        long delay = nextFree - now;
        nextFree += (long) (keyCount * nanosPerKey);
        return delay;
    }
}
