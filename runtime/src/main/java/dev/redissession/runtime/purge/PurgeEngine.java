package dev.redissession.runtime.purge;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redissession.PurgeAlreadyRunningException;
import dev.redissession.PurgeJob;
import dev.redissession.PurgeNotFoundException;
import dev.redissession.PurgeState;
import dev.redissession.TenantIds;
import dev.redissession.runtime.codec.ExtensionJson;
import dev.redissession.runtime.failure.ErrorText;
import dev.redissession.runtime.keys.SessionKeys;
import dev.redissession.runtime.purge.PurgeCommands.ScanNode;
import dev.redissession.runtime.purge.PurgeCommands.ScanPage;
import dev.redissession.runtime.purge.PurgeCommands.Topology;
import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * Runs tenant purge jobs; plain Java (the CDI bean {@link TenantPurgeService} and the benchmark wrap it).
 * <p>
 * A job: takes the tenant's lock, writes the fence ({@link SessionKeys#purgeFence}), then runs one SCAN loop per
 * node (in parallel, one page in flight per node): {@code SCAN} a page, keep the keys that are exactly the tenant's
 * sessions, wait for the rate limit, {@code UNLINK} them, count, store the job's state and read its cancel flag.
 * When every cursor is back to 0 (and, on a cluster, no slot moved meanwhile) the job has completed.
 * <p>
 * Why that is complete: a session that existed before the first SCAN and kept its key until the end is returned by
 * SCAN (its guarantee), and deleted. A session written meanwhile keeps its key (writes never recreate a deleted
 * key). A session whose id is rotated meanwhile would move to a key SCAN may miss, but the script that moves it
 * reads the fence of its slot in the same atomic step and deletes the session instead when it was created before
 * the fence's time (the job's start). So every session created before the start is gone at the end.
 */
public final class PurgeEngine {

    private static final Logger LOG = Logger.getLogger(PurgeEngine.class);
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** How often the events of a job running on another replica are read from Redis. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final int FINISHED_KEPT = 100;

    private final PurgeCommands commands;
    private final SessionKeys keys;
    private final PurgeSettings settings;
    /** The key prefix, to recognise session keys in Redis error messages. */
    private final String keyPrefix;
    private final ObjectMapper json = ExtensionJson.MAPPER;
    private final Map<String, PurgeRun> running = new ConcurrentHashMap<>();
    /** Recently ended jobs of this replica, so their end is known here even if Redis could not store it. */
    private final Map<String, PurgeRun> finished = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PurgeRun> eldest) {
            return size() > FINISHED_KEPT;
        }
    };

    public PurgeEngine(PurgeCommands commands, SessionKeys keys, PurgeSettings settings) {
        this.commands = commands;
        this.keys = keys;
        this.settings = settings;
        this.keyPrefix = keys.prefix();
    }

    /** Takes the lock, stores the first state, and leaves the job running on its own (fence, then SCAN). */
    public Uni<PurgeJob> start(String tenant) {
        return startDetached(tenant, run -> {
        }).map(PurgeRun::snapshot);
    }

    /** Runs a job and follows it to the end; cancelling the subscription cancels the job. */
    public Multi<PurgeJob> purge(String tenant) {
        return Multi.createFrom().deferred(() -> {
            AtomicReference<PurgeRun> started = new AtomicReference<>();
            AtomicBoolean cancelled = new AtomicBoolean();
            // Set-then-check on both sides: whichever of "started" and "cancelled" comes second stops the job.
            return startDetached(tenant, run -> {
                started.set(run);
                if (cancelled.get()) {
                    stopForCancelledSubscriber(run);
                }
            }).onItem().transformToMulti(this::follow)
                    .onCancellation().invoke(() -> {
                        cancelled.set(true);
                        PurgeRun run = started.get();
                        if (run != null) {
                            stopForCancelledSubscriber(run);
                        }
                    });
        });
    }

    private static void stopForCancelledSubscriber(PurgeRun run) {
        if (!run.isEnded() && !run.cancelRequested()) {
            LOG.infof("Purge %s of tenant %s: its subscriber cancelled; stopping", run.id, run.tenant);
            run.requestCancel();
        }
    }

    /**
     * {@link #startRun} in a subscription of its own: cancelling the caller's subscription while the lock is being
     * taken must not leave it behind without a job. A job whose caller cancelled before it was running is cancelled
     * at once, so it stores its end, drops its fence and releases the lock like any other.
     */
    private Uni<PurgeRun> startDetached(String tenant, Consumer<PurgeRun> onStarted) {
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

    private static final Object ABANDONED = new Object();

    private Uni<PurgeRun> startRun(String tenant, int attempts) {
        return Uni.createFrom().deferred(() -> {
            TenantIds.require(tenant);
            String id = UUID.randomUUID().toString();
            String lockKey = keys.purgeLock(tenant);
            return commands.acquireLock(lockKey, id, settings.lockLease().toMillis()).chain(acquired -> {
                if (!acquired) {
                    return commands.lockHolder(lockKey).chain(holder -> holder == null && attempts > 1
                            ? startRun(tenant, attempts - 1) // it ended between our two commands
                            : Uni.createFrom().failure(new PurgeAlreadyRunningException(tenant,
                                    holder == null ? "(ended meanwhile)" : holder)));
                }
                PurgeRun run = new PurgeRun(id, tenant, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                        new RateLimiter(settings.rateLimit()));
                return save(run)
                        .onFailure().call(() -> commands.releaseLock(lockKey, id).onFailure().recoverWithNull())
                        .map(ignored -> {
                            running.put(id, run);
                            LOG.infof("Purge %s of tenant %s started (at %s; scan-count %d, delete-batch %d, "
                                    + "rate-limit %s)", id, tenant, run.startedAt, settings.scanCount(),
                                    settings.deleteBatch(), settings.rateLimit().isPresent()
                                            ? settings.rateLimit().getAsInt() + " keys/s" : "none");
                            execute(run);
                            return run;
                        });
            });
        });
    }

    private void execute(PurgeRun run) {
        long lease = settings.lockLease().toMillis();
        String lockKey = keys.purgeLock(run.tenant);
        run.lockRenewal(Multi.createFrom().ticks().every(Duration.ofMillis(lease / 3)).onOverflow().drop()
                .onItem().transformToUniAndConcatenate(tick -> commands.renewLock(lockKey, run.id, lease)
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

        String pattern = keys.scanPattern(run.tenant);
        commands.topology()
                .call(topology -> refuseMigrations(topology, "when the purge started"))
                // The fence must be visible before the first SCAN: rotations from now on check it.
                .call(topology -> commands.writeFences(topology, keys, run.tenant, run.startedAt.toEpochMilli(),
                        settings.maxLifetime().toMillis()))
                .chain(topology -> Uni.join().all(topology.nodes().stream().map(node -> scanNode(run, node, pattern))
                        .toList()).andCollectFailures()
                        .chain(steps -> steps.stream().allMatch(step -> step == Step.DONE)
                                ? checkUnchanged(topology).replaceWith(true)
                                : Uni.createFrom().item(false)))
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

    /** On a cluster, a slot that moved while the job ran may have carried keys past the SCAN: not complete. */
    private Uni<Void> checkUnchanged(Topology before) {
        return commands.topology().invoke(after -> {
            if (!after.fingerprint().equals(before.fingerprint())) {
                throw new PurgeCommands.ClusterChangedException("the cluster's slots moved while the purge ran");
            }
        }).call(after -> refuseMigrations(after, "when the purge ended")).replaceWithVoid();
    }

    /** A slot being migrated has keys on two nodes, and a moved key may escape the SCAN: not complete. */
    private Uni<Void> refuseMigrations(Topology topology, String when) {
        return commands.slotMigrations(topology).invoke(migrations -> {
            if (!migrations.isEmpty()) {
                throw new PurgeCommands.ClusterChangedException("slots were being migrated " + when + " ("
                        + String.join(", ", migrations.subList(0, Math.min(5, migrations.size())))
                        + (migrations.size() > 5 ? ", ..." : "") + "), so keys may have escaped the SCAN");
            }
        }).replaceWithVoid();
    }

    /** One node's SCAN loop: page after page until its cursor is 0 ({@code DONE}) or the job must stop. */
    private Uni<Step> scanNode(PurgeRun run, ScanNode node, String pattern) {
        return Multi.createBy().repeating()
                .uni(() -> new AtomicReference<>("0"), cursor -> run.shouldStop() ? Uni.createFrom().item(Step.STOPPED)
                        : page(run, node, pattern, cursor))
                .whilst(step -> step == Step.MORE)
                .onFailure().invoke(failure -> fail(run, failure))
                .collect().last();
    }

    /** One page of one node. */
    private Uni<Step> page(PurgeRun run, ScanNode node, String pattern, AtomicReference<String> cursor) {
        return commands.scan(node, cursor.get(), pattern, settings.scanCount()).chain(page -> {
            List<String> sessions = page.keys().stream().filter(key -> keys.isSessionOf(key, run.tenant)).distinct()
                    .toList();
            return throttle(run, sessions.size())
                    .chain(() -> commands.unlink(sessions, settings.deleteBatch()))
                    .chain(deleted -> {
                        run.pageDone(page.keys().size(), deleted);
                        cursor.set(page.cursor());
                        return checkpoint(run);
                    })
                    .map(ignored -> isLast(page) ? Step.DONE : Step.MORE);
        });
    }

    /** Where one node's SCAN loop is after a step. */
    private enum Step {
        MORE,
        DONE,
        STOPPED
    }

    private static boolean isLast(ScanPage page) {
        return "0".equals(page.cursor());
    }

    private Uni<Void> throttle(PurgeRun run, int keyCount) {
        long delayNanos = run.rateLimiter.reserve(keyCount);
        // Timers have millisecond resolution (Quarkus refuses shorter ones); a shorter wait is not worth one.
        long delayMillis = delayNanos / 1_000_000;
        return delayMillis < 1 ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(delayMillis));
    }

    /** Stores the job's state and reads its cancel flag (written by DELETE on any replica). */
    private Uni<Void> checkpoint(PurgeRun run) {
        if (!run.beginCheckpoint()) {
            return Uni.createFrom().voidItem();
        }
        return save(run).invoke(cancel -> {
            if (cancel && !run.cancelRequested()) {
                LOG.infof("Purge %s of tenant %s: cancel requested; stopping after the current pages", run.id,
                        run.tenant);
                run.requestCancel();
            }
        }).eventually(run::endCheckpoint).replaceWithVoid();
    }

    private Uni<Boolean> save(PurgeRun run) {
        return commands.saveJob(keys.purgeJob(run.id), toJson(run.snapshot()), settings.jobRetention().toMillis());
    }

    private void finish(PurgeRun run, PurgeState state, String error) {
        run.stopLockRenewal();
        PurgeJob last = run.end(state, error);
        Uni<Void> cleanUp = save(run).replaceWithVoid()
                .onFailure().invoke(failure -> LOG.warnf("Purge %s: its final state (%s) could not be stored in "
                        + "Redis: %s; other replicas will report it failed once its lock expires", run.id,
                        state.json(), failure.getMessage()))
                .onFailure().recoverWithNull()
                // A cancelled purge should not keep dropping the tenant's rotated sessions for a whole max lifetime.
                .chain(() -> state == PurgeState.CANCELLED
                        ? commands.dropFences(keys, run.tenant, run.startedAt.toEpochMilli())
                                .onFailure().recoverWithNull()
                        : Uni.createFrom().voidItem())
                .chain(() -> commands.releaseLock(keys.purgeLock(run.tenant), run.id).onFailure().invoke(failure -> LOG
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

    /** Live snapshots of a job of this replica until its end. */
    private Multi<PurgeJob> follow(PurgeRun run) {
        // LATEST: a slow subscriber skips intermediate snapshots, never the last one.
        return Multi.createFrom().emitter((Consumer<MultiEmitter<? super PurgeJob>>) run::listen,
                BackPressureStrategy.LATEST);
    }

    private PurgeRun local(String id) {
        PurgeRun run = running.get(id);
        if (run == null) {
            synchronized (finished) {
                run = finished.get(id);
            }
        }
        return run;
    }

    /** The job from this replica, else from Redis; a running job whose lock is gone is reported failed. */
    public Uni<Optional<PurgeJob>> job(String id) {
        return Uni.createFrom().deferred(() -> {
            if (id == null || !JOB_ID.matcher(id).matches()) {
                return Uni.createFrom().item(Optional.empty());
            }
            PurgeRun run = local(id);
            if (run != null) {
                return Uni.createFrom().item(Optional.of(run.snapshot()));
            }
            return stored(id).chain(job -> {
                if (job == null || job.state().isTerminal()) {
                    return Uni.createFrom().item(Optional.ofNullable(job));
                }
                // Lock first, then the state again: a job stores its end before it releases its lock.
                return commands.lockHolder(keys.purgeLock(job.tenant())).chain(holder -> id.equals(holder)
                        ? Uni.createFrom().item(Optional.of(job))
                        : stored(id).map(again -> Optional.ofNullable(again == null || again.state().isTerminal()
                                ? again
                                : again.withState(PurgeState.FAILED, null, "abandoned: the replica running it stopped "
                                        + "or lost Redis before it ended (its lock expired); run the purge again"))));
            });
        });
    }

    private Uni<PurgeJob> stored(String id) {
        return commands.loadJob(keys.purgeJob(id)).map(text -> text == null ? null : fromJson(text));
    }

    /** Snapshots until the end: live for a local job, polled from Redis for a job of another replica. */
    public Multi<PurgeJob> events(String id) {
        return Multi.createFrom().deferred(() -> {
            PurgeRun run = id == null ? null : local(id);
            if (run != null) {
                return follow(run);
            }
            Uni<PurgeJob> poll = job(id).map(found -> found.orElseThrow(() -> new PurgeNotFoundException(id)));
            return poll.onItem().transformToMulti(first -> first.state().isTerminal() ? Multi.createFrom().item(first)
                    : Multi.createBy().concatenating().streams(Multi.createFrom().item(first),
                            Multi.createBy().repeating().uni(() -> poll).withDelay(POLL_INTERVAL)
                                    .whilst(job -> !job.state().isTerminal()))
                            .skip().repetitions());
        });
    }

    /** Sets the job's cancel flag in Redis (any replica's job reads it each page) and stops a local job at once. */
    public Uni<PurgeJob> cancel(String id) {
        return job(id).chain(found -> {
            PurgeJob job = found.orElseThrow(() -> new PurgeNotFoundException(id));
            if (job.state().isTerminal()) {
                return Uni.createFrom().item(job);
            }
            PurgeRun run = local(id);
            if (run != null) {
                run.requestCancel();
            }
            return commands.requestCancel(keys.purgeJob(id)).map(known -> {
                LOG.infof("Purge %s of tenant %s: cancel requested", id, job.tenant());
                return job;
            });
        });
    }

    /**
     * Session keys of the tenant, counted by a SCAN of every node, page by page in constant memory: approximate, as
     * a key may be counted twice while Redis rehashes (SCAN may then repeat it) and keys written meanwhile may or
     * may not be counted.
     */
    public Uni<Long> countSessions(String tenant) {
        return Uni.createFrom().deferred(() -> {
            TenantIds.require(tenant);
            String pattern = keys.scanPattern(tenant);
            AtomicLong seen = new AtomicLong();
            return commands.topology().chain(topology -> Uni.join().all(topology.nodes().stream()
                    .map(node -> Multi.createBy().repeating()
                            .uni(() -> new AtomicReference<>("0"), cursor -> commands.scan(node, cursor.get(), pattern,
                                    settings.scanCount()).map(page -> {
                                        seen.addAndGet(page.keys().stream()
                                                .filter(key -> keys.isSessionOf(key, tenant)).distinct().count());
                                        cursor.set(page.cursor());
                                        return isLast(page);
                                    }))
                            .whilst(last -> !last).collect().last())
                    .toList()).andFailFast())
                    .map(ignored -> seen.get());
        });
    }

    /** Asks every job of this replica to stop (the application is shutting down); their locks expire by themselves. */
    public void shutdown() {
        running.values().forEach(run -> run.fail("the replica running it shut down; run the purge again"));
    }

    /**
     * Fails the job with a reason fit for its {@code error} (no session keys, Redis addresses or node ids: the job
     * is readable through the admin API) and logs the detail, with session ids cut, here.
     */
    private void fail(PurgeRun run, Throwable failure) {
        Throwable cause = failure instanceof CompositeException composite ? composite.getCauses().get(0) : failure;
        String detail = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        if (run.fail(ErrorText.publicText(detail, keyPrefix))) {
            LOG.warnf("Purge %s of tenant %s: stopping on %s: %s", run.id, run.tenant, cause.getClass().getName(),
                    ErrorText.logText(detail, keyPrefix));
        }
    }

    private String toJson(PurgeJob job) {
        try {
            return json.writeValueAsString(job);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private PurgeJob fromJson(String text) {
        try {
            return json.readValue(text, PurgeJob.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable purge job state in Redis: " + e.getMessage(), e);
        }
    }

    /** The rate limit of one job, over all its nodes: each page reserves its keys and waits until they are due. */
    static final class RateLimiter {
        private final double nanosPerKey;
        private long nextFree = System.nanoTime();

        RateLimiter(OptionalInt keysPerSecond) {
            this.nanosPerKey = keysPerSecond.isPresent() ? 1e9 / keysPerSecond.getAsInt() : 0;
        }

        /** The delay before {@code keyCount} keys may be deleted. */
        synchronized long reserve(int keyCount) {
            if (nanosPerKey == 0 || keyCount == 0) {
                return 0;
            }
            long now = System.nanoTime();
            if (nextFree < now) {
                nextFree = now;
            }
            long delay = nextFree - now;
            nextFree += (long) (keyCount * nanosPerKey);
            return delay;
        }
    }
}
