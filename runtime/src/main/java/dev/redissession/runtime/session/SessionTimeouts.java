package dev.redissession.runtime.session;

import java.time.Duration;
import java.time.Instant;

/**
 * The TTL of a session key: the smaller of what remains of its idle timeout and of its absolute lifetime.
 */
public final class SessionTimeouts {

    private final Duration idle;
    private final Duration maxLifetime;

    /** @param idle the default idle timeout; zero or negative for none (the absolute lifetime still applies) */
    public SessionTimeouts(Duration idle, Duration maxLifetime) {
        this.idle = idle;
        this.maxLifetime = maxLifetime;
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
     * @return the TTL in milliseconds; {@code <= 0} when the session has outlived its absolute lifetime
     */
    public long ttlMillis(Instant createdAt, Integer maxInactiveSeconds, Instant now) {
        long untilDeadline = createdAt.plus(maxLifetime).toEpochMilli() - now.toEpochMilli();
        int inactive = maxInactiveSeconds == null ? defaultMaxInactiveSeconds() : maxInactiveSeconds;
        return inactive > 0 ? Math.min(untilDeadline, inactive * 1000L) : untilDeadline;
    }
}
