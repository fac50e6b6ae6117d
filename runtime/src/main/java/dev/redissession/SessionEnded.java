package dev.redissession;

import java.util.Locale;

/**
 * A CDI event fired once for every end of a stored session, whatever ended it: observe it with
 * {@code void onEnd(@Observes SessionEnded ended)} to clean up what the application keeps per session.
 * <p>
 * It carries no session id (a bearer secret) but the session's {@link #handle() handle}: a short value derived from
 * the id by a one-way hash, stable for the life of the id, safe to log, show and put in URLs.
 *
 * @param tenant the session's tenant
 * @param handle the session's non-secret handle
 * @param userId the session's {@code user_id}, {@code null} for a session without one (or when it was not known at
 *        the end, as for a session that expired)
 * @param reason what ended it
 */
public record SessionEnded(String tenant, String handle, String userId, Reason reason) {

    /** What ended a session. */
    public enum Reason {
        /** Its idle timeout or absolute lifetime ran out. */
        EXPIRED,
        /** The application invalidated it (a logout). */
        INVALIDATED,
        /** A purge of its tenant deleted it. */
        PURGED,
        /** Its user ended it (e.g. "log out my other devices"). */
        ENDED_BY_USER,
        /** An administrator ended it. */
        ENDED_BY_ADMIN,
        /** The per-user session limit ended it to make room for a newer login. */
        EVICTED;

        /** The reason as metrics tags and JSON name it: {@code expired}, {@code ended_by_user}, ... */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
