package dev.redissession.runtime.purge;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import dev.redissession.PurgeAlreadyRunningException;
import dev.redissession.PurgeJob;
import dev.redissession.PurgeState;
import dev.redissession.TenantIds;
import dev.redissession.runtime.failure.ErrorText;
import dev.redissession.runtime.keys.SessionKeys;
import dev.redissession.runtime.metrics.SessionMetrics;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Runs the tenant purge jobs of this replica, from the lock to the end, and keeps them until they are looked up.
 * <p>
 * A job: takes the tenant's lock, writes the fence ({@link SessionKeys#purgeFence}), then runs the tenant scan
 * ({@link TenantScan}): per page, keep the keys that are exactly the tenant's sessions, wait for the rate limit,
 * {@code UNLINK} them (in one round trip with the next page's SCAN), count; every {@link #CHECKPOINT_INTERVAL}
 * store the job's state and read its cancel flag. When every cursor is back to 0 (and, on a cluster, no slot moved
 * meanwhile) the job has completed.
 * <p>
 * Why that is complete: a session that existed before the first SCAN and kept its key until the end is returned by
 * SCAN (its guarantee), and deleted. A session written meanwhile keeps its key (writes never recreate a deleted
 * key). A session whose id is rotated meanwhile would move to a key SCAN may miss, but the script that moves it
 * reads the fence of its slot in the same atomic step and deletes the session instead when it was created before
 * the fence's time (the job's start). So every session created before the start is gone at the end.
 */
final class PurgeEngine {

    private static final Logger LOG = Logger.getLogger(PurgeEngine.class);
    /**
     * How often a running job stores its state and reads its cancel flag. Per page, that write cost as much as the
     * page's SCAN (2.4x the wall time of a bare SCAN + UNLINK loop, bench/README.md); every 200 ms it is noise, and
     * a cancel from another replica still lands within a fifth of a second (one from this replica at once).
     */
    static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(200);
    private static final int FINISHED_KEPT = 100;
    private static final Object ABANDONED = new Object();

    private final PurgeJobState state;
    private final ClusterTopology topology;
    private final TenantScan scan;
    private final PurgeSettings settings;
    private final SessionMetrics metrics;
    /** Redis's clock: the fence's time is compared with the sessions' created_at, which follow that clock. */
    private final Supplier<Instant> clock;
    private final PurgedSession purged;
    /** The key prefix, to recognise session keys in Redis error messages. */
    private final String keyPrefix;
    private final Map<String, PurgeRun> running = new ConcurrentHashMap<>();
    /** Recently ended jobs of this replica, so their end is known here even if Redis could not store it. */
    private final Map<String, PurgeRun> finished = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PurgeRun> eldest) {
            return size() > FINISHED_KEPT;
        }
    };

    PurgeEngine(PurgeJobState state, ClusterTopology topology, TenantScan scan, String keyPrefix,
            PurgeSettings settings, SessionMetrics metrics, Supplier<Instant> clock, PurgedSession purged) {
        this.metrics = metrics;
        this.clock = clock;
        this.purged = purged;
        this.state = state;
        this.topology = topology;
        this.scan = scan;
        this.keyPrefix = keyPrefix;
        this.settings = settings;
    }

    /**
     * Takes the lock, stores the first state and leaves the job running on its own (fence, then SCAN), in a
     * subscription of its own: cancelling the caller's subscription while the lock is being taken must not leave it
     * behind without a job. A job whose caller cancelled before it was running is cancelled at once, so it stores its
     * end, drops its fence and releases the lock like any other. {@code onStarted} sees the job before the caller.
     */
    Uni<PurgeRun> start(String tenant, Consumer<PurgeRun> onStarted) {
        return Uni.createFrom().emitter(emitter -> {
            // null: starting; then the run handed to the caller, or ABANDONED when the caller went away first.
            AtomicReference<Object> outcome = new AtomicReference<>();
            emitter.onTermination(() -> outcome.compareAndSet(null, ABANDONED));
            startRun(tenant, 2).subscribe().with(run -> {
                onStarted.accept(run);
                if (outcome.compareAndSet(null, run)) {
                    emitter.complete(run);
                } else {
                    LOG.infof("Purge %s of tenant %s: its caller went away while it started; cancelling it", run.id,
                            run.tenant);
                    run.requestCancel();
                }
            }, failure -> {
                if (outcome.compareAndSet(null, failure)) {
                    emitter.fail(failure);
                }
            });
        });
    }

    private Uni<PurgeRun> startRun(String tenant, int attempts) {
        return Uni.createFrom().deferred(() -> {
            TenantIds.require(tenant);
            String id = UUID.randomUUID().toString();
            return state.takeLock(tenant, id).chain(acquired -> {
                if (!acquired) {
                    return state.lockHolder(tenant).chain(holder -> holder == null && attempts > 1
                            ? startRun(tenant, attempts - 1) // it ended between our two commands
                            : Uni.createFrom().failure(new PurgeAlreadyRunningException(tenant,
                                    holder == null ? "(ended meanwhile)" : holder)));
                }
                PurgeRun run = new PurgeRun(id, tenant, clock.get().truncatedTo(ChronoUnit.MILLIS),
                        new RateLimiter(settings.rateLimit()));
                return state.save(run.snapshot())
                        .onFailure().call(() -> state.releaseLock(tenant, id).onFailure().recoverWithNull())
                        .map(ignored -> {
                            running.put(id, run);
                            LOG.infof("Purge %s of tenant %s started (at %s; scan-count %d, delete-batch %d, "
                                    + "rate-limit %s)", id, tenant, run.startedAt, settings.scanCount(),
                                    settings.deleteBatch(), settings.rateLimit().isPresent()
                                            ? settings.rateLimit().getAsInt() + " keys/s"
                                            : "none");
                            execute(run);
                            return run;
                        });
            });
        });
    }

    private void execute(PurgeRun run) {
        run.lockRenewal(Multi.createFrom().ticks().every(settings.lockLease().dividedBy(3)).onOverflow().drop()
                .onItem().transformToUniAndConcatenate(tick -> state.renewLock(run.tenant, run.id)
                        .onFailure().recoverWithItem(failure -> {
                            LOG.warnf("Purge %s: could not renew its lock (%s); trying again", run.id,
                                    failure.getMessage());
                            return true;
                        }))
                .subscribe().with(held -> {
                    if (!held) {
                        run.fail("the purge lock of the tenant expired (this replica was stalled for longer than "
                                + "quarkus.redis-session.purge.lock-lease), so another job may run; run the purge again");
                    }
                }, failure -> LOG.warnf("Purge %s: lock renewal stopped: %s", run.id, failure.getMessage())));

        topology.current()
                .call(nodes -> topology.refuseMigrations(nodes, "when the purge started"))
                // The fence must be visible before the first SCAN: rotations from now on check it.
                .call(nodes -> state.writeFences(nodes, run.tenant, run.startedAt.toEpochMilli()))
                .chain(nodes -> scan.purge(nodes, run.tenant, settings.scanCount(), settings.deleteBatch(),
                        run::shouldStop, failure -> fail(run, failure), pages(run))
                        .call(complete -> complete ? topology.checkUnchanged(nodes) : Uni.createFrom().voidItem()))
                .subscribe().with(
                        complete -> {
                            if (complete) {
                                finish(run, PurgeState.COMPLETED, null);
                            } else {
                                finish(run, run.failure() != null ? PurgeState.FAILED : PurgeState.CANCELLED,
                                        run.failure());
                            }
                        },
                        failure -> {
                            fail(run, failure);
                            finish(run, PurgeState.FAILED, run.failure());
                        });
    }

    /** Around each page of one node: the rate limit before its UNLINK; then count, and now and then store the state. */
    private TenantScan.PageHandler pages(PurgeRun run) {
        return new TenantScan.PageHandler() {
            @Override
            public Uni<Void> beforeUnlink(List<String> sessions) {
                return throttle(run, sessions.size());
            }

            @Override
            public Uni<Void> pageDone(int scanned, List<String> sessions, List<String> deleted,
                    List<String> expired) {
                run.pageDone(scanned, deleted.size());
                metrics.purgeDeleted(deleted.size(), run.tenant);
                if (deleted.isEmpty() && expired.isEmpty()) {
                    return checkpoint(run);
                }
                // One end per deleted session, on a worker: observers (servlet listeners too) may block, the event
                // loop that answered the page must not.
                String tenantPrefix = keyPrefix + run.tenant + ":";
                return Uni.createFrom().voidItem().emitOn(Infrastructure.getDefaultWorkerPool())
                        .invoke(() -> {
                            deleted.forEach(key -> purged.purged(run.tenant, key.substring(tenantPrefix.length()),
                                    false));
                            expired.forEach(key -> purged.purged(run.tenant, key.substring(tenantPrefix.length()),
                                    true));
                        })
                        .chain(() -> checkpoint(run));
            }
        };
    }

    private Uni<Void> throttle(PurgeRun run, int keyCount) {
        long delayNanos = run.rateLimiter.reserve(keyCount);
        // Timers have millisecond resolution (Quarkus refuses shorter ones); a shorter wait is not worth one.
        long delayMillis = delayNanos / 1_000_000;
        return delayMillis < 1 ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(delayMillis));
    }

    /** Stores the job's state and reads its cancel flag (written by DELETE on any replica), when it is due. */
    private Uni<Void> checkpoint(PurgeRun run) {
        if (!run.beginCheckpoint(CHECKPOINT_INTERVAL.toNanos())) {
            return Uni.createFrom().voidItem();
        }
        return state.save(run.snapshot()).invoke(cancel -> {
            if (cancel && !run.cancelRequested()) {
                LOG.infof("Purge %s of tenant %s: cancel requested; stopping after the current pages", run.id,
                        run.tenant);
                run.requestCancel();
            }
        }).eventually(run::endCheckpoint).replaceWithVoid();
    }

    private void finish(PurgeRun run, PurgeState end, String error) {
        run.stopLockRenewal();
        PurgeJob last = run.end(end, error);
        Uni<Void> cleanUp = state.save(last).replaceWithVoid()
                .onFailure().invoke(failure -> LOG.warnf("Purge %s: its final state (%s) could not be stored in "
                        + "Redis: %s; other replicas will report it failed once its lock expires", run.id,
                        end.json(), failure.getMessage()))
                .onFailure().recoverWithNull()
                // A cancelled purge should not keep dropping the tenant's rotated sessions for a whole max lifetime.
                .chain(() -> end == PurgeState.CANCELLED
                        ? topology.current().chain(nodes -> state.dropFences(nodes, run.tenant,
                                run.startedAt.toEpochMilli())).onFailure().recoverWithNull()
                        : Uni.createFrom().voidItem())
                .chain(() -> state.releaseLock(run.tenant, run.id).onFailure().invoke(failure -> LOG
                        .warnf("Purge %s: its lock could not be released (%s); it expires within %s", run.id,
                                failure.getMessage(), settings.lockLease()))
                        .onFailure().recoverWithNull());
        cleanUp.subscribe().with(done -> close(run, last), failure -> close(run, last));
    }

    private void close(PurgeRun run, PurgeJob last) {
        synchronized (finished) {
            finished.put(run.id, run);
        }
        running.remove(run.id);
        if (last.state() == PurgeState.FAILED) {
            LOG.errorf("Purge %s of tenant %s failed after %d ms: %s (scanned %d, deleted %d keys in %d pages so far; "
                    + "running it again is safe)", last.id(), last.tenant(), last.elapsedMillis(), last.error(),
                    last.scanned(), last.deleted(), last.pages());
        } else {
            LOG.infof("Purge %s of tenant %s %s in %d ms: scanned %d, deleted %d keys in %d pages", last.id(),
                    last.tenant(), last.state().json(), last.elapsedMillis(), last.scanned(), last.deleted(),
                    last.pages());
        }
        run.close();
    }

    /** A job of this replica, running or recently ended; {@code null} otherwise. */
    PurgeRun local(String id) {
        PurgeRun run = running.get(id);
        if (run == null) {
            synchronized (finished) {
                run = finished.get(id);
            }
        }
        return run;
    }

    /** How many jobs of this replica are in {@code state}: running ones, and the recently ended ones it keeps. */
    int jobs(PurgeState state) {
        if (state == PurgeState.RUNNING) {
            return running.size();
        }
        synchronized (finished) {
            return (int) finished.values().stream().filter(run -> run.snapshot().state() == state).count();
        }
    }

    /** Asks every job of this replica to stop (the application is shutting down); their locks expire by themselves. */
    void shutdown() {
        running.values().forEach(run -> run.fail("the replica running it shut down; run the purge again"));
    }

    /**
     * Fails the job with a reason fit for its {@code error} (no session keys, Redis addresses or node ids: the job
     * is readable through the admin API) and logs the detail, with session ids cut, here.
     */
    private void fail(PurgeRun run, Throwable cause) {
        String detail = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        if (run.fail(ErrorText.publicText(detail, keyPrefix))) {
            LOG.warnf("Purge %s of tenant %s: stopping on %s: %s", run.id, run.tenant, cause.getClass().getName(),
                    ErrorText.logText(detail, keyPrefix));
        }
    }
}
