package dev.redissession.runtime.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

/**
 * Logs Redis failures without flooding: the first failure of a storm at ERROR, then at most one summary line per
 * interval with the number of failures since, so an outage under load writes a few lines, not one per request.
 */
final class FailureLog {

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong windowStart = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    FailureLog(Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    void failed(String message) {
        long now = System.nanoTime();
        long start = windowStart.get();
        if (start != Long.MIN_VALUE && now - start < intervalNanos) {
            suppressed.incrementAndGet();
            return;
        }
        if (!windowStart.compareAndSet(start, now)) {
            suppressed.incrementAndGet();
            return;
        }
        long more = suppressed.getAndSet(0);
        log.error(more == 0 ? message
                : message + " (and " + more + " more session store failures in the last "
                        + Duration.ofNanos(intervalNanos).toSeconds() + " s, not logged one by one)");
    }
}
