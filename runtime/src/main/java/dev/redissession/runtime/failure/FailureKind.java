package dev.redissession.runtime.failure;

import dev.redissession.AttributeConflictException;
import dev.redissession.InvalidTenantException;
import dev.redissession.PurgeAlreadyRunningException;
import dev.redissession.PurgeNotFoundException;
import dev.redissession.SessionGoneException;
import dev.redissession.SessionStoreUnavailableException;
import dev.redissession.SessionTooLargeException;
import dev.redissession.TooManySessionsException;
import io.smallrye.mutiny.TimeoutException;

/**
 * The one vocabulary of the session store's failures: each kind's HTTP status and JSON {@code error} code (what a
 * client is told), its {@code error} tag on {@code redis.session.errors}, its prefix of the readiness check's
 * {@code reason}, and whether retrying soon can help ({@code Retry-After}). A name missing here ({@code null}, status
 * {@code 0}) is one the kind never has: not every failure is counted, answered or probed.
 */
public enum FailureKind {

    INVALID_TENANT(400, "invalid_tenant", null, null, false),
    /** The request carries more cookies than the servlet container parses (Undertow's UT000046). */
    TOO_MANY_COOKIES(400, "too_many_cookies", null, null, false),
    UNKNOWN_PURGE(404, "unknown_purge", null, null, false),
    /** The session was invalidated or purged while the request changed it. */
    SESSION_GONE(409, "session_gone", "gone", null, false),
    PURGE_RUNNING(409, "purge_running", null, null, false),
    /**
     * Other requests changed the attributes a request set ({@code same-attribute-conflict=reject}) or updated (more
     * than {@code max-write-retries} times) meanwhile: nothing of it was saved.
     */
    ATTRIBUTE_CONFLICT(409, "attribute_conflict", "attribute_conflict", null, false),
    SESSION_TOO_LARGE(413, "session_too_large", "too_large", null, false),
    /** A client address created more anonymous sessions than {@code anonymous.creations-per-minute} allows. */
    TOO_MANY_SESSIONS(429, "too_many_sessions", "rate_limited", null, true),
    /** Redis unreachable or slow, or busy with a failover: retrying soon may succeed. */
    STORE_UNAVAILABLE(503, "session_store_unavailable", "unavailable", "unreachable", true),
    /**
     * Redis refused the command (permissions, memory, a script error): counted and answered like
     * {@link #STORE_UNAVAILABLE}, but retrying does not help until it is fixed. The readiness check names Redis's own
     * error reply instead ({@code NOPERM: ...}, {@code GETEX failed: Redis answered ...}).
     */
    STORE_REFUSED(503, "session_store_unavailable", "unavailable", null, false),
    /** A write the master applied but too few replicas acknowledged in time; not counted as an error meanwhile. */
    REPLICA_ACK_TIMEOUT(503, "replica_ack_timeout", null, null, true),
    /** A purge or count met slots that moved, are moving or are not all served: it may succeed once stable. */
    CLUSTER_CHANGED(503, "cluster_changed", null, null, true),
    /**
     * The client's {@code client-type} does not fit the server (a cluster node without {@code client-type=cluster}, a
     * replica, a cluster with unserved slots in the probe): a setup error, which the admin API answers as
     * {@code cluster_changed}.
     */
    WRONG_TOPOLOGY(503, "cluster_changed", null, "wrong topology", false),
    /** A stored value this application cannot read: the request is served without a session, no client answer. */
    CORRUPT(0, null, "corrupt", null, false),
    /** A save that failed otherwise (the servlet's own 500). */
    NOT_SAVED(0, null, "not_saved", null, false);

    private final int status;
    private final String error;
    private final String metricTag;
    private final String healthReason;
    private final boolean retryable;

    FailureKind(int status, String error, String metricTag, String healthReason, boolean retryable) {
        this.status = status;
        this.error = error;
        this.metricTag = metricTag;
        this.healthReason = healthReason;
        this.retryable = retryable;
    }

    /** The kind of {@code failure} itself (not of its causes), or {@code null} when it is no failure of the store. */
    public static FailureKind of(Throwable failure) {
        if (failure instanceof InvalidTenantException) {
            return INVALID_TENANT;
        }
        if (failure instanceof SessionGoneException) {
            return SESSION_GONE;
        }
        if (failure instanceof AttributeConflictException) {
            return ATTRIBUTE_CONFLICT;
        }
        if (failure instanceof SessionTooLargeException) {
            return SESSION_TOO_LARGE;
        }
        if (failure instanceof TooManySessionsException) {
            return TOO_MANY_SESSIONS;
        }
        if (failure instanceof PurgeNotFoundException) {
            return UNKNOWN_PURGE;
        }
        if (failure instanceof PurgeAlreadyRunningException) {
            return PURGE_RUNNING;
        }
        if (failure instanceof SessionStoreUnavailableException unavailable) {
            return unavailable(unavailable.errorCode(), unavailable.isTransient());
        }
        if (failure instanceof TimeoutException) {
            return STORE_UNAVAILABLE;
        }
        return null;
    }

    /**
     * The 503 kind a {@link SessionStoreUnavailableException} names: its subclasses say their {@code error} code (taken
     * from here), the instance whether retrying can help. A code not listed here is a generic outage or refusal.
     */
    private static FailureKind unavailable(String error, boolean retryable) {
        for (FailureKind kind : values()) {
            if (kind.status == 503 && kind.error.equals(error) && kind.retryable == retryable) {
                return kind;
            }
        }
        return retryable ? STORE_UNAVAILABLE : STORE_REFUSED;
    }

    /** The HTTP status of the answer; {@code 0} for a kind never answered to a client. */
    public int status() {
        return status;
    }

    /** The JSON {@code error} code of the answer; {@code null} for a kind never answered to a client. */
    public String error() {
        return error;
    }

    /** The {@code error} tag on {@code redis.session.errors}; {@code null} for a kind that is not counted. */
    public String metricTag() {
        return metricTag;
    }

    /**
     * The readiness check's {@code reason}: {@code <health reason>: <detail>}. Only for a kind the probe reports by
     * name.
     */
    public String reason(String detail) {
        if (healthReason == null) {
            throw new IllegalStateException(this + " has no readiness reason");
        }
        return healthReason + ": " + detail;
    }

    /** Whether retrying soon can help, so the answer carries {@code Retry-After}. */
    public boolean retryable() {
        return retryable;
    }
}
