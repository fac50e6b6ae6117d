package dev.redissession;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.UnaryOperator;

import io.smallrye.mutiny.Uni;

/**
 * The current request's session, for quarkus-rest resources and Vert.x routes: {@code @Inject RedisSession session}.
 * <p>
 * Lazy: a request that never calls it costs no Redis command and gets no cookie. Reading a request without a session
 * does not create one ({@link #exists()} is {@code false}, attributes are {@code null}); the first
 * {@link #setAttribute} creates it. Changes are kept in memory and saved once, before the response is sent, with the
 * same guarantees as a servlet's {@code HttpSession} (compare-and-set with merge, size limits, timeouts).
 * <p>
 * The methods other than {@link #load()} read the session from Redis on their first use, blocking the calling thread:
 * fine on a worker thread (a synchronous or {@code @Blocking} endpoint). On the event loop (an endpoint returning
 * {@code Uni}) call {@link #load()} first and continue in its {@code Uni}; before that they throw
 * {@link IllegalStateException} rather than block the event loop.
 */
public interface RedisSession {

    /**
     * Reads the session from Redis without blocking the calling thread, at most once per request; after it every
     * other method answers without I/O.
     */
    Uni<RedisSession> load();

    /** Whether the request has a session: one its id names in Redis, or one this request created. */
    boolean exists();

    /** Whether this request created the session (it is not in Redis before this request's save). */
    boolean isNew();

    /**
     * The session id, {@code null} without a session. A bearer secret: never log it or put it in a URL. After
     * {@link #rotateId()} it is the new one, which the response carries once the session is saved.
     */
    String id();

    /** When the session was created, {@code null} without a session. */
    Instant creationTime();

    /** When a request last wrote or touched the session before this one, {@code null} without a session. */
    Instant lastAccessedTime();

    /** The idle timeout of the session (its own, else the configured one); {@code null} without a session. */
    Duration maxInactiveInterval();

    /** Sets the session's own idle timeout, creating the session if there is none. */
    void setMaxInactiveInterval(Duration interval);

    /** The attribute's value, {@code null} when it or the session is absent. */
    Object getAttribute(String name);

    /**
     * The attribute's value as {@code type}.
     *
     * @throws ClassCastException naming the attribute when it holds another type
     */
    <T> T getAttribute(String name, Class<T> type);

    /** The attribute names, empty without a session. */
    Set<String> getAttributeNames();

    /**
     * Sets an attribute (JSON values, or a class registered with {@link SessionAttributeType}), creating the session if
     * there is none; {@code null} removes it.
     *
     * @throws IllegalArgumentException naming the attribute when the value cannot be stored or is over the size limit
     */
    void setAttribute(String name, Object value);

    /**
     * Replaces the attribute with {@code function} of its current value, atomically (creating the session if there
     * is none): when another request changed the session before this one is saved, the function is applied again to
     * the newer stored value (up to {@code quarkus.redis-session.max-write-retries} times, then 409
     * {@code attribute_conflict}), so N parallel updates leave exactly the result of N sequential ones. The function
     * must be free of side effects: it may run more than once. A {@code null} result removes the attribute.
     *
     * <pre>
     * long next = session.update("counter", (Number n) -&gt; n == null ? 1L : n.longValue() + 1);
     * </pre>
     *
     * @return the new value as computed from the value this request sees now
     */
    <T> T update(String name, UnaryOperator<T> function);

    /** Removes the attribute; nothing happens without a session. */
    void removeAttribute(String name);

    /**
     * Ends the session: it is deleted from Redis when this request saves, and the response tells the client to drop
     * its id. A later {@link #setAttribute} in the same request creates a new session. Nothing happens without one.
     */
    void invalidate();

    /**
     * Gives the session a new id (call it at login, against session fixation), written atomically with this
     * request's save; the response carries the new id.
     *
     * @return the new id, {@code null} without a session
     */
    String rotateId();
}
