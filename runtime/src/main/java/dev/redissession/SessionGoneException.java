package dev.redissession;

/**
 * A request changed a session that another request invalidated or moved to a new id (login) meanwhile, or that
 * expired. The change is refused rather than lost silently or written to a session that no longer exists;
 * requests that fail with it get 409.
 */
public class SessionGoneException extends IllegalStateException {

    public SessionGoneException(String message) {
        super(message);
    }
}
