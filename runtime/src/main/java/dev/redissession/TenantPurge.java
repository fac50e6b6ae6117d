package dev.redissession;

import java.util.Optional;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Logs a whole tenant out: a job that pages through {@code SCAN} (every master of a Redis Cluster) and
 * {@code UNLINK}s the tenant's session keys, without blocking Redis for other tenants. Inject it as a CDI bean.
 * <p>
 * Guarantee: once a job reports {@link PurgeState#COMPLETED}, no session of the tenant whose {@code created_at} is
 * earlier than {@link PurgeJob#startedAt()} can be used any more, including sessions whose id was rotated or that
 * were written while the job ran. Sessions created after the start may survive. Only one job per tenant runs at a
 * time across all replicas; a failed or cancelled job can simply be run again.
 * <p>
 * Every method is non-blocking; the returned {@link Uni}s and {@link Multi}s are lazy except where noted.
 */
public interface TenantPurge {

    /**
     * Runs a purge of {@code tenant} when subscribed: emits a snapshot after each page, the last one in a terminal
     * state, then completes. Cancelling the subscription cancels the job. Slow subscribers only miss intermediate
     * snapshots, never the last one.
     *
     * @throws InvalidTenantException (as a failure) when the tenant id is invalid
     * @throws PurgeAlreadyRunningException (as a failure) when a purge of the tenant is running
     * @throws SessionStoreUnavailableException (as a failure) when Redis fails before the job runs (taking the lock,
     *         storing its first state); a failure after that ends the job {@link PurgeState#FAILED} with the reason
     *         in {@link PurgeJob#error()}
     */
    Multi<PurgeJob> purge(String tenant);

    /** {@link #purge(String)} reduced to its final snapshot; check its {@link PurgeJob#state()}. */
    Uni<PurgeJob> purgeToEnd(String tenant);

    /**
     * Starts a purge that runs on its own (the admin API's POST): the item is the job once it holds the tenant's
     * lock and has set the fence, i.e. once the guarantee above applies to it. Cancelling before the item arrives
     * cancels the job as soon as it has started (so no lock or fence is left without a job).
     */
    Uni<PurgeJob> start(String tenant);

    /** The job's latest snapshot, from this replica or from Redis; empty when unknown. */
    Uni<Optional<PurgeJob>> job(String jobId);

    /**
     * Snapshots of the job until it ends, the last one terminal: live for a job running on this replica, polled
     * from Redis otherwise. Fails with {@link PurgeNotFoundException} for an unknown job.
     */
    Multi<PurgeJob> events(String jobId);

    /**
     * Asks the job to stop after its current page (from any replica). Returns the snapshot at the time of the
     * request; a job that already ended is returned unchanged. Fails with {@link PurgeNotFoundException}.
     */
    Uni<PurgeJob> cancel(String jobId);

    /**
     * The number of session keys of the tenant, counted by {@code SCAN} (every master of a cluster) page by page, in
     * constant memory. Approximate: it may count a key twice while Redis rehashes (SCAN may then repeat it), and
     * sessions written or deleted meanwhile may or may not be counted. Fails with
     * {@link SessionStoreUnavailableException} when Redis fails, and with one whose
     * {@link SessionStoreUnavailableException#errorCode() errorCode()} is {@code cluster_changed} on a cluster whose
     * slots move meanwhile (the admin API answers 503 with that code).
     */
    Uni<Long> countSessions(String tenant);
}
