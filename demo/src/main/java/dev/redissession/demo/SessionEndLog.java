package dev.redissession.demo;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.redissession.SessionEnded;

/**
 * This replica's record of the session ends it heard of ({@link SessionEnded} events): how many of each reason, and
 * the most recent ones, for {@code GET /demo/ended} and the page.
 */
@Singleton
public class SessionEndLog {

    static final int RECENT = 20;

    private final Map<String, Long> counts = new TreeMap<>();
    private final Deque<Map<String, Object>> recent = new ArrayDeque<>();

    synchronized void onEnd(@Observes SessionEnded ended) {
        counts.merge(ended.reason().label(), 1L, Long::sum);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", Instant.now().toString());
        entry.put("tenant", ended.tenant());
        entry.put("handle", ended.handle());
        entry.put("user_id", ended.userId());
        entry.put("reason", ended.reason().label());
        recent.addFirst(entry);
        if (recent.size() > RECENT) {
            recent.removeLast();
        }
    }

    /** Reason to count, e.g. {@code {"expired": 3, "invalidated": 1}}; reasons never heard of are left out. */
    synchronized Map<String, Long> counts() {
        return new TreeMap<>(counts);
    }

    /** The last {@value #RECENT} ends, newest first. */
    synchronized List<Map<String, Object>> recent() {
        return new ArrayList<>(recent);
    }
}
