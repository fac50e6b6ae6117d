package dev.redissession.runtime.metrics;

import java.util.function.ToIntFunction;

import dev.redissession.PurgeState;
import dev.redissession.SessionEnded;
import dev.redissession.SessionStoreUnavailableException;
import dev.redissession.runtime.failure.FailureKind;

/**
 * What the session store tells an observer (the Micrometer meters when the application has quarkus-micrometer,
 * {@link #NONE} otherwise): one call per event, made where the event happens. Calls never fail and never block.
 * {@code tenant} is passed for meters that may carry a tenant tag; implementations decide whether to use it.
 */
public interface SessionMetrics {

    /** The observer that ignores everything: no meters. */
    SessionMetrics NONE = new SessionMetrics() {
    };

    /** A new session reached Redis (the create script wrote it). */
    default void created(String tenant) {
    }

    /** The new session that reached Redis had no {@code user_id} (counted by {@link #created} too). */
    default void anonymousCreated(String tenant) {
    }

    /** The application invalidated a stored session. */
    default void invalidated(String tenant) {
    }

    /** A session was given a new id. */
    default void rotated(String tenant) {
    }

    /** A session was found past its absolute deadline when loaded, and deleted. */
    default void expired(String tenant) {
    }

    /** A stored session ended (announced by {@code SessionEnds}, once per end across replicas). */
    default void ended(SessionEnded.Reason reason, String tenant) {
    }

    /** A write found the session changed by another request and merged its changes onto the new value. */
    default void writeConflict(String tenant) {
    }

    /** A failure of the session store, of a kind with a {@link FailureKind#metricTag() metric tag}. */
    default void error(FailureKind kind, String tenant) {
    }

    /** A session value of {@code bytes} was written. */
    default void stored(int bytes, String tenant) {
    }

    /** One Redis command of the session store took {@code nanos}, answered or not. */
    default void command(String command, long nanos) {
    }

    /** A purge page deleted {@code keys} session keys. */
    default void purgeDeleted(long keys, String tenant) {
    }

    /** How many of this replica's purge jobs are in each state, read whenever the meters are read. */
    default void purgeJobs(ToIntFunction<PurgeState> jobsInState) {
    }

    /**
     * A save failed: counted as an {@link #error} of its kind ({@link FailureKind#NOT_SAVED} for one without a tag),
     * unless a Redis command failed, which the store already counted where it happened.
     */
    default void saveFailed(RuntimeException failure, String tenant) {
        if (failure instanceof SessionStoreUnavailableException) {
            return;
        }
        FailureKind kind = FailureKind.of(failure);
        error(kind != null && kind.metricTag() != null ? kind : FailureKind.NOT_SAVED, tenant);
    }
}
