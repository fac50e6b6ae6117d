package dev.redissession;

/**
 * Redis could not serve a session command (unreachable, timed out or failing). Requests that fail with it get 503;
 * requests that do not touch their session are not affected, and service resumes once Redis answers again.
 */
public class SessionStoreUnavailableException extends RuntimeException {

    public SessionStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
