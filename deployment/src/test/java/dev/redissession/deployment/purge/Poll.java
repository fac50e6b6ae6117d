package dev.redissession.deployment.purge;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline: tests poll for what they expect, they never sleep and hope. Shared with the
 * admin extension's tests through this module's test-jar.
 */
public final class Poll {

    private Poll() {
    }

    public static void until(BooleanSupplier condition, String what) {
        until(condition::getAsBoolean, Boolean::booleanValue, what);
    }

    /** Looks at {@code probe} until {@code done} holds for what it returns, and returns that. */
    public static <T> T until(Supplier<T> probe, Predicate<T> done, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            T seen = probe.get();
            if (done.test(seen)) {
                return seen;
            }
            assertTrue(System.nanoTime() < deadline, "timed out waiting for: " + what + " (last: " + seen + ")");
            pause();
        }
    }

    /** The interval between two looks. */
    public static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
