package dev.redissession.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class PollTest {

    @Test
    void returnsTheFirstValueThatIsDone() {
        AtomicInteger looks = new AtomicInteger();
        assertEquals(3, Poll.until(Duration.ofSeconds(5), "three looks", looks::incrementAndGet, n -> n >= 3));
        assertEquals(3, looks.get(), "no look after the condition held");
        Poll.until(Duration.ofSeconds(5), "a condition that holds at once", () -> true);
    }

    @Test
    void aTimeoutNamesWhatWasAwaitedAndTheLastValueSeen() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Poll.until(Duration.ofMillis(200), "the moon", () -> 7, n -> n > 7));
        assertEquals("timed out after 200 ms waiting for: the moon (last seen: 7)", e.getMessage());
        AssertionError plain = assertThrows(AssertionError.class,
                () -> Poll.until(Duration.ofSeconds(1), "the sun", () -> false));
        assertEquals("timed out after 1 s waiting for: the sun", plain.getMessage());
    }

    @Test
    void aFailingProbeEndsTheWaitAtOnce() {
        IllegalStateException gone = new IllegalStateException("the process exited");
        long start = System.nanoTime();
        assertSame(gone, assertThrows(IllegalStateException.class, () -> Poll.until(Duration.ofSeconds(30),
                "a dead process", () -> {
                    throw gone;
                }, x -> true)));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5, "did not wait for the deadline");
    }

    @Test
    void freePortsAreNotHandedOutTwice() {
        int a = FreePorts.next();
        int b = FreePorts.next();
        assertNotEquals(a, b);
        int redis = FreePorts.redisPair();
        assertTrue(redis < 55000, "room for the cluster bus port: " + redis);
        assertNotEquals(a, redis);
        FreePorts.release(redis);
    }
}
