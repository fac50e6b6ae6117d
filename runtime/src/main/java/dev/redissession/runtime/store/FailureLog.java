package dev.redissession.runtime.store;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Logs failures without flooding: per command (or kind of failure), the first of a storm, then at most one line per
 * interval that also counts the failures not logged since, so an outage under load (or a client that keeps sending a
 * refused request) writes a few lines, not one per request.
 */
public final class FailureLog {

    private final Consumer<String> log;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** @param log where a line goes (e.g. an ERROR logger); @param clock nanoseconds, as {@link System#nanoTime()} */
    public FailureLog(Consumer<String> log, Duration interval, LongSupplier clock) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
    }

    public void failed(String command, String message) {
        Window window = windows.computeIfAbsent(command, ignored -> new Window());
        long now = clock.getAsLong();
        long start = window.start.get();
        if (start != Long.MIN_VALUE && now - start < intervalNanos || !window.start.compareAndSet(start, now)) {
            window.suppressed.incrementAndGet();
            return;
        }
        long more = window.suppressed.getAndSet(0);
        log.accept(more == 0 ? message
                : message + " (and " + more + " more " + command + " failures since the last such line, not logged "
                        + "one by one)");
    }

    private static final class Window {
        final AtomicLong start = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong suppressed = new AtomicLong();
    }
}
