package dev.redissession.runtime.store;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * The one clock of every session time and deadline ({@code created_at}, {@code last_accessed_at}, the idle slide, the
 * absolute lifetime, a purge's fence): Redis's, so replicas whose own clocks disagree still agree on them.
 * <p>
 * Redis's {@code TIME} is read at startup and then every {@link #REFRESH} while requests come, never on a request's
 * path (a request that finds the reading due starts the next one and goes on with the current one), and carried
 * forward in between with this replica's monotonic clock, which no wall-clock step moves. A reading is off by at most
 * half its round trip, so a slow one (the first, which opens a connection, or one on a loaded host) is replaced as
 * soon as a quicker one comes. Until Redis first answers (it is down at startup, or the ACL lacks {@code +time}) the
 * replica's own clock stands in.
 */
@Singleton
public class RedisClock {

    private static final Logger LOG = Logger.getLogger(RedisClock.class);
    /** Long enough to cost Redis nothing, short enough that monotonic drift (ppm) stays far below a millisecond. */
    static final Duration REFRESH = Duration.ofSeconds(30);
    /** After a slow reading, or a failed first one: the next one is tried this much later, not on every request. */
    static final Duration RETRY = Duration.ofSeconds(1);
    /** A reading off by at most half of this is good enough to keep for {@link #REFRESH} without trying again soon. */
    static final Duration QUICK = Duration.ofMillis(20);
    /** Below this, a difference between this replica's clock and Redis's is ordinary NTP noise and not logged. */
    static final Duration NOTEWORTHY = Duration.ofSeconds(1);

    @Inject
    RedisSessionStore store;

    /** The latest reading; {@code null} until Redis first answers {@code TIME}. */
    private volatile RedisTime reading;
    private final AtomicBoolean underway = new AtomicBoolean();
    private volatile long nextAttemptNanos = System.nanoTime();
    /** How far behind Redis this replica's clock was when last logged (0: not logged, in step). */
    private volatile long loggedBehindMillis;

    void onStart(@Observes StartupEvent event) {
        refresh();
    }

    /** Now, by Redis's clock. */
    public Instant now() {
        long nanos = System.nanoTime();
        RedisTime last = reading;
        if (nanos - nextAttemptNanos >= 0) {
            refresh();
        }
        return last != null ? last.at(nanos) : Instant.now();
    }

    /** Starts a reading unless one is under way; its answer (or failure) comes back on a Redis client thread. */
    private void refresh() {
        if (!underway.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        nextAttemptNanos = started + RETRY.toNanos();
        store.time().subscribe().with(this::read, failure -> {
            // RedisCalls has logged the failure (rate-limited); the previous reading, or the own clock, stays. A
            // reading carried forward is good for a while: try again soon only while the own clock stands in.
            nextAttemptNanos = started + (reading != null ? REFRESH : RETRY).toNanos();
            underway.set(false);
        });
    }

    private void read(RedisTime time) {
        RedisTime last = reading;
        boolean better = time.replaces(last);
        RedisTime kept = better ? time : last;
        reading = kept;
        // A slow reading is tried again soon, as long as trying helps; else that is simply this network's round trip.
        boolean tryAgain = better && kept.roundTripNanos() > QUICK.toNanos();
        nextAttemptNanos = time.midNanos() + (tryAgain ? RETRY : REFRESH).toNanos();
        underway.set(false);
        if (!better) {
            return;
        }
        long behind = time.behindMillis(System.currentTimeMillis(), System.nanoTime());
        if (Math.abs(behind - loggedBehindMillis) < NOTEWORTHY.toMillis()) {
            return;
        }
        loggedBehindMillis = behind;
        if (Math.abs(behind) < NOTEWORTHY.toMillis()) {
            LOG.infof("This replica's clock is in step with Redis's again (%d ms apart)", behind);
        } else {
            LOG.warnf("This replica's clock is %s Redis's (measured with TIME, within %d ms): session times and "
                    + "deadlines follow Redis's clock, so sessions are unaffected; fix this host's time synchronisation "
                    + "(NTP) for the rest of the application", describe(behind), time.roundTripNanos() / 2_000_000);
        }
    }

    /** {@code 2 h 0 min 3 s behind} or {@code 1.2 s ahead of}, to the nearest second from a minute on. */
    static String describe(long behindMillis) {
        long millis = Math.abs(behindMillis);
        Duration gap = Duration.ofSeconds((millis + 500) / 1000);
        String amount = gap.toHours() > 0 ? gap.toHours() + " h " + gap.toMinutesPart() + " min " + gap.toSecondsPart() + " s"
                : gap.toMinutes() > 0 ? gap.toMinutes() + " min " + gap.toSecondsPart() + " s"
                        : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
        return amount + (behindMillis > 0 ? " behind" : " ahead of");
    }
}
