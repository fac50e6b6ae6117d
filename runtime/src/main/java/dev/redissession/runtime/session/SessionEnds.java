package dev.redissession.runtime.session;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.redissession.SessionEnded;
import dev.redissession.runtime.metrics.SessionMetrics;

/**
 * Where every end of a session is announced, once: the {@link SessionEnded} CDI event and the
 * {@code redis.session.ended} counter. Whoever ends a session (a logout, the expiry sweep, a purge, a user, an admin,
 * the per-user limit) calls {@link #ended} after Redis confirmed the end, and nobody else fires the event.
 */
@Singleton
public class SessionEnds {

    private static final Logger LOG = Logger.getLogger(SessionEnds.class);

    @Inject
    Event<SessionEnded> event;
    @Inject
    Event<Ended> doors;
    @Inject
    SessionMetrics metrics;

    /**
     * Announces that the tenant's session {@code sessionId} ended. An observer that throws is logged and does not
     * undo the end or keep other observers from hearing of it.
     *
     * @param userId the session's {@code user_id}, {@code null} when it had none or it is not known
     */
    public void ended(String tenant, String sessionId, String userId, SessionEnded.Reason reason) {
        metrics.ended(reason, tenant);
        SessionEnded ended = new SessionEnded(tenant, SessionHandles.of(sessionId), userId, reason);
        notify(() -> event.fire(ended), "SessionEnded", tenant, reason);
        notify(() -> doors.fire(new Ended(tenant, sessionId, userId, reason)), "the session's end (servlet "
                + "HttpSessionListener)", tenant, reason);
    }

    private static void notify(Runnable fire, String what, String tenant, SessionEnded.Reason reason) {
        try {
            fire.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "An observer of %s failed for a session of tenant %s (%s); the session is ended all the "
                    + "same. Observers should catch their own failures.", what, tenant, reason.label());
        }
    }

    /**
     * The same end with the session's id, for the doors of this extension only (the servlet door tells Undertow's
     * session listeners, which name sessions by id); never for the application, whose event carries the handle.
     */
    public record Ended(String tenant, String sessionId, String userId, SessionEnded.Reason reason) {
    }
}
