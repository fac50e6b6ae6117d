package dev.redissession.runtime.session;

import java.time.Duration;
import java.time.Instant;

/**
 * The TTL of a session key: the smaller of what remains of its idle timeout and of its absolute lifetime; a session
 * without {@code user_id} and without its own idle timeout has the anonymous one when that is smaller than the default.
 */
public final class SessionTimeouts {

    private final Duration idle;
    private final Duration maxLifetime;
    private final Duration anonymousIdle;

    /**
     * @param idle the default idle timeout; zero or negative for none (the absolute lifetime still applies)
     * @param anonymousIdle the idle timeout of a session without {@code user_id}, when smaller than the default
     */
    public SessionTimeouts(Duration idle, Duration maxLifetime, Duration anonymousIdle) {
        this.idle = idle;
        this.maxLifetime = maxLifetime;
        this.anonymousIdle = anonymousIdle;
    }

    public int defaultMaxInactiveSeconds() {
        return (int) idle.toSeconds();
    }

    /** The TTL of a session that uses the configured idle timeout and is far from its absolute deadline. */
    public long defaultTtlMillis() {
        return idle.isNegative() || idle.isZero() ? maxLifetime.toMillis() : Math.min(idle.toMillis(), maxLifetime.toMillis());
    }

    /**
     * @param maxInactiveSeconds the session's own idle timeout, {@code null} for the default, {@code <= 0} for none
     * @param anonymous whether the session has no {@code user_id}
     * @return the TTL in milliseconds; {@code <= 0} when the session has outlived its absolute lifetime
     */
    public long ttlMillis(Instant createdAt, Integer maxInactiveSeconds, boolean anonymous, Instant now) {
        long untilDeadline = createdAt.plus(maxLifetime).toEpochMilli() - now.toEpochMilli();
        int inactive = maxInactiveSeconds == null ? defaultMaxInactiveSeconds() : maxInactiveSeconds;
        long idleMillis = inactive > 0 ? inactive * 1000L : Long.MAX_VALUE;
        if (anonymous && maxInactiveSeconds == null) {
            // Only the default: a timeout the application gave the session itself is its own decision.
            idleMillis = Math.min(idleMillis, anonymousIdle.toMillis());
        }
        return Math.min(untilDeadline, idleMillis);
    }
}
