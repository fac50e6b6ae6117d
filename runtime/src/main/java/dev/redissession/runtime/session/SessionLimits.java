package dev.redissession.runtime.session;

/**
 * The size limits of one session: its stored JSON in bytes and its number of attributes
 * ({@code quarkus.redis-session.max-size}, {@code max-attributes}), and the smaller size of a session without
 * {@code user_id} ({@code anonymous.max-size}). They bound what one client can make Redis and every replica hold, and
 * what a request reads.
 */
public record SessionLimits(long maxBytes, int maxAttributes, long anonymousMaxBytes) {

    /** @throws IllegalArgumentException when one value alone is over the size limit */
    void checkValue(String name, int bytes) {
        if (bytes > maxBytes) {
            throw new IllegalArgumentException("Session attribute '" + name + "' is " + bytes + " bytes as JSON, more "
                    + "than the whole session may hold (quarkus.redis-session.max-size = " + maxBytes + " bytes): "
                    + "store less, or keep large data elsewhere and put its id in the session");
        }
    }

    /** Whether a stored value of {@code bytes} is over the limit: it is then never parsed. */
    boolean isOver(long bytes) {
        return bytes > maxBytes;
    }

    /**
     * @param anonymous whether the session to write has no {@code user_id}
     * @throws dev.redissession.SessionTooLargeException when the session to write is over a limit
     */
    void checkSession(int bytes, int attributes, boolean anonymous) {
        if (anonymous && bytes > anonymousMaxBytes && anonymousMaxBytes < maxBytes) {
            throw new dev.redissession.SessionTooLargeException("This request's changes would make the session "
                    + bytes + " bytes, more than quarkus.redis-session.anonymous.max-size (" + anonymousMaxBytes
                    + " bytes) for a session without user_id; nothing was saved. Store less before sign-in, or set "
                    + "user_id in the same request (a signed-in session may hold up to quarkus.redis-session.max-size, "
                    + maxBytes + " bytes).");
        }
        if (bytes > maxBytes) {
            throw new dev.redissession.SessionTooLargeException("This request's changes would make the session "
                    + bytes + " bytes, more than quarkus.redis-session.max-size (" + maxBytes + " bytes); nothing "
                    + "was saved. Remove attributes or store less in them.");
        }
        if (attributes > maxAttributes) {
            throw new dev.redissession.SessionTooLargeException("This request's changes would give the session "
                    + attributes + " attributes, more than quarkus.redis-session.max-attributes (" + maxAttributes
                    + "); nothing was saved. Remove attributes or group values into fewer ones.");
        }
    }
}
