package dev.redissession.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class CreationRateLimitTest {

    final AtomicLong clock = new AtomicLong(1_000);
    final CreationRateLimit limit = new CreationRateLimit(2, clock::get);

    @Test
    void eachAddressHasItsOwnCountForTheMinute() {
        assertEquals(0, limit.acquire("10.0.0.1"));
        assertEquals(0, limit.acquire("10.0.0.1"));
        clock.addAndGet(TimeUnit.SECONDS.toNanos(20));
        assertEquals(40, limit.acquire("10.0.0.1"), "seconds until the minute ends");
        assertEquals(0, limit.acquire("10.0.0.2"));
        assertEquals(0, limit.acquire(null));
        clock.addAndGet(TimeUnit.SECONDS.toNanos(40));
        assertEquals(0, limit.acquire("10.0.0.1"), "a new minute");
    }

    @Test
    void retryAfterIsAtLeastOneSecond() {
        limit.acquire("a");
        limit.acquire("a");
        clock.addAndGet(TimeUnit.SECONDS.toNanos(60) - 1);
        assertEquals(1, limit.acquire("a"));
    }
}
