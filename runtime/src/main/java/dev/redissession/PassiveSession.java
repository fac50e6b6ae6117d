package dev.redissession;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks endpoints whose requests read their session without extending it: a quarkus-rest resource method or class,
 * or a servlet class. Such a passive request reads the session with a plain {@code GET} (still one round trip; an
 * expired session is still gone), and leaves its TTL and {@code last_accessed_at} as they were: it writes nothing, not
 * even the {@code touch-interval} refresh. Meant for polling endpoints (notification badges, status checks), which
 * would otherwise keep a session alive for as long as a browser tab stays open.
 * <p>
 * A passive request may invalidate its session, but not change it: creating a session, setting or removing an
 * attribute, changing its idle timeout or rotating its id throws {@link IllegalStateException} at the call (a value
 * changed in place is refused when the request ends, as a 500), because any write would extend the session.
 * {@code quarkus.redis-session.passive-paths} marks requests by path instead, for endpoints that cannot carry the
 * annotation (e.g. Vert.x routes).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface PassiveSession {
}
