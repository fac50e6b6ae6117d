package dev.redissession;

/**
 * A request's session changes would make the stored session larger than {@code quarkus.redis-session.max-size} or
 * give it more than {@code quarkus.redis-session.max-attributes} attributes. Nothing of the change is written; the
 * request gets 413.
 */
public class SessionTooLargeException extends RuntimeException {

    public SessionTooLargeException(String message) {
        super(message);
    }
}
