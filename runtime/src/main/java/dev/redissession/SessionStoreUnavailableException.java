package dev.redissession;

/**
 * Redis could not serve a session command (unreachable, timed out or failing). Requests that fail with it get 503;
 * requests that do not touch their session are not affected, and service resumes once Redis answers again.
 */
public class SessionStoreUnavailableException extends RuntimeException {

    private final boolean transientFailure;

    /** A failure that retrying soon may fix: Redis unreachable or slow. */
    public SessionStoreUnavailableException(String message, Throwable cause) {
        this(message, cause, true);
    }

    /**
     * @param transientFailure whether retrying soon may succeed (Redis unreachable or slow), as opposed to Redis
     *        refusing the command (permissions, memory, a script error)
     */
    public SessionStoreUnavailableException(String message, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** The {@code error} code of the 503 body; subclasses name more specific causes. */
    public String errorCode() {
        return "session_store_unavailable";
    }

    /** Whether retrying soon may succeed: the 503 then carries {@code Retry-After}. */
    public boolean isTransient() {
        return transientFailure;
    }
}
