package dev.redissession.runtime.purge;

import java.util.OptionalInt;

/** The rate limit of one job, over all its nodes: each page reserves its keys and waits until they are due. */
final class RateLimiter {

    private final double nanosPerKey;
    private long nextFree = System.nanoTime();

    RateLimiter(OptionalInt keysPerSecond) {
        this.nanosPerKey = keysPerSecond.isPresent() ? 1e9 / keysPerSecond.getAsInt() : 0;
    }

    /** The delay before {@code keyCount} keys may be deleted. */
    synchronized long reserve(int keyCount) {
        if (nanosPerKey == 0 || keyCount == 0) {
            return 0;
        }
        long now = System.nanoTime();
        if (nextFree < now) {
            nextFree = now;
        }
        long delay = nextFree - now;
        nextFree += (long) (keyCount * nanosPerKey);
        return delay;
    }
}
