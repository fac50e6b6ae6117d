package dev.redissession.runtime.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * How many anonymous sessions each client address created in the current minute on this replica
 * ({@code quarkus.redis-session.anonymous.creations-per-minute}), in memory: no Redis command, and the counts of
 * one minute only, so the memory it holds is bounded by the addresses that created a session in that minute.
 */
final class CreationRateLimit {

    private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final int perMinute;
    private final LongSupplier clock;
    private volatile Window window;

    /** @param clock nanoseconds, as {@link System#nanoTime()} */
    CreationRateLimit(int perMinute, LongSupplier clock) {
        this.perMinute = perMinute;
        this.clock = clock;
        this.window = new Window(clock.getAsLong());
    }

    /**
     * Counts one creation by {@code address} ({@code null}: unknown, all such requests share one count).
     *
     * @return 0 when it is within the limit, else the seconds until the address may create again (at least 1)
     */
    long acquire(String address) {
        long now = clock.getAsLong();
        Window current = window;
        if (now - current.start >= WINDOW_NANOS) {
            synchronized (this) {
                if (window == current) {
                    window = new Window(now);
                }
                current = window;
            }
        }
        int count = current.counts.computeIfAbsent(address == null ? "" : address, a -> new AtomicInteger())
                .incrementAndGet();
        if (count <= perMinute) {
            return 0;
        }
        long remaining = current.start + WINDOW_NANOS - now;
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(remaining + TimeUnit.SECONDS.toNanos(1) - 1));
    }

    private static final class Window {
        final long start;
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        Window(long start) {
            this.start = start;
        }
    }
}
