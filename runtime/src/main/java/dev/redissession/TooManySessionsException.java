package dev.redissession;

/**
 * A client address created more anonymous sessions in the current minute than
 * {@code quarkus.redis-session.anonymous.creations-per-minute} allows: the new session is not written, and the
 * request gets 429 with {@code Retry-After}.
 */
public class TooManySessionsException extends RuntimeException {

    private final long retryAfterSeconds;

    public TooManySessionsException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** When the address may create sessions again, in whole seconds (at least 1). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
