package dev.redissession.servlet.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.redissession.SessionEnded;
import dev.redissession.runtime.session.SessionEnds;

/**
 * Tells the servlet deployment's {@code HttpSessionListener}s of the ends this replica announces outside a servlet's
 * {@code invalidate()} (an expiry the sweep delivered here, a purge, an end by the user or an admin), so
 * {@code sessionDestroyed} fires for the same ends as the {@link SessionEnded} event. An invalidation from a servlet
 * already told them in {@code invalidate()}, with the attributes still readable, as the servlet specification wants.
 */
@Singleton
public class ServletSessionEnds {

    /** The session managers of this application's servlet deployments (one in Quarkus). */
    private static final List<RedisSessionManager> MANAGERS = new CopyOnWriteArrayList<>();

    static void started(RedisSessionManager manager) {
        MANAGERS.add(manager);
    }

    static void stopped(RedisSessionManager manager) {
        MANAGERS.remove(manager);
    }

    void onEnd(@Observes SessionEnds.Ended ended) {
        if (ended.reason() != SessionEnded.Reason.INVALIDATED) {
            MANAGERS.forEach(manager -> manager.ended(ended.sessionId()));
        }
    }
}
