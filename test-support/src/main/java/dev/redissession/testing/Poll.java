package dev.redissession.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline, for every test (and the rig itself) that waits: look until it holds, never
 * sleep and hope. A timeout fails with an {@link AssertionError} that names what was awaited.
 */
public final class Poll {

    // The first looks come quickly (most waits end within milliseconds); later ones back off, so a long wait on an
    // expensive probe (an HTTP call, a redis-cli subprocess) does not take the CPU from what it is waiting for.
    private static final long FIRST_PAUSE_MILLIS = 10;
    private static final long MAX_PAUSE_MILLIS = 100;

    private Poll() {
    }

    /** Returns once {@code condition} holds; fails after {@code timeout} naming {@code what} was awaited. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        poll(timeout, what, condition::getAsBoolean, Boolean::booleanValue, false);
    }

    /**
     * Looks at {@code probe} until {@code done} holds for what it returns, and returns that; fails after
     * {@code timeout} naming {@code what} was awaited and the last value seen. An exception from the probe ends the
     * wait at once (e.g. when the process being waited for has exited).
     */
    public static <T> T until(Duration timeout, String what, Supplier<T> probe, Predicate<? super T> done) {
        return poll(timeout, what, probe, done, true);
    }

    private static <T> T poll(Duration timeout, String what, Supplier<T> probe, Predicate<? super T> done,
            boolean showLast) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            T seen = probe.get();
            if (done.test(seen)) {
                return seen;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + describe(timeout) + " waiting for: " + what
                        + (showLast ? " (last seen: " + seen + ")" : ""));
            }
            sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
            pause = Math.min(2 * pause, MAX_PAUSE_MILLIS);
        }
    }

    private static String describe(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
