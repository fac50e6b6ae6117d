package dev.redissession.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class FailureLogTest {

    private final List<String> lines = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private final FailureLog log = new FailureLog(lines::add, Duration.ofSeconds(10), now::get);

    @Test
    void aStormOfFailuresWritesOneLinePerCommandAndIntervalWithACount() {
        for (int i = 0; i < 10_000; i++) {
            log.failed("GETEX", "GETEX failed " + i);
        }
        log.failed("EVALSHA", "EVALSHA failed");
        assertEquals(List.of("GETEX failed 0", "EVALSHA failed"), lines, "the first failure of each command");

        now.addAndGet(Duration.ofSeconds(11).toNanos());
        log.failed("GETEX", "GETEX failed again");
        assertEquals(3, lines.size());
        assertTrue(lines.get(2).startsWith("GETEX failed again (and 9999 more GETEX failures"), lines.get(2));

        now.addAndGet(Duration.ofSeconds(11).toNanos());
        log.failed("GETEX", "GETEX once");
        assertEquals("GETEX once", lines.get(3), "a quiet interval leaves no count behind");
    }
}
