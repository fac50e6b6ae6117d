package dev.redissession.runtime.purge;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.redissession.PurgeJob;
import dev.redissession.PurgeNotFoundException;
import dev.redissession.PurgeState;
import dev.redissession.SessionEnded;
import dev.redissession.TenantIds;
import dev.redissession.TenantPurge;
import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.keys.SessionKeys;
import dev.redissession.runtime.metrics.SessionMetrics;
import dev.redissession.runtime.session.SessionEnds;
import dev.redissession.runtime.store.RedisClock;
import dev.redissession.runtime.store.SessionRedis;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * The {@link TenantPurge} bean: jobs run by the {@link PurgeEngine} of this replica, looked up here or in Redis
 * (jobs of other replicas), and the session count. Plain Java behind its public constructor (the benchmark uses it).
 */
@Singleton
public class TenantPurgeService implements TenantPurge {

    private static final Logger LOG = Logger.getLogger(TenantPurgeService.class);
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** How often the events of a job running on another replica are read from Redis. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private final PurgeJobState state;
    private final ClusterTopology topology;
    private final TenantScan scan;
    private final PurgeSettings settings;
    private final PurgeEngine engine;

    @Inject
    public TenantPurgeService(SessionRedis redis, RedisSessionConfig config, SessionMetrics metrics, RedisClock clock,
            SessionEnds ends) {
        this(redis, new SessionKeys(config.keyPrefix(), redis.isCluster()), PurgeSettings.of(config), metrics,
                clock::now, (tenant, sessionId, expired) -> {
                    if (expired) {
                        metrics.expired(tenant);
                    }
                    ends.ended(tenant, sessionId, null,
                            expired ? SessionEnded.Reason.EXPIRED : SessionEnded.Reason.PURGED);
                });
    }

    private TenantPurgeService(SessionRedis redis, SessionKeys keys, PurgeSettings settings, SessionMetrics metrics,
            Supplier<Instant> clock, PurgedSession purged) {
        this(new PurgeCommands(redis.client(), redis.isCluster(), settings.commandTimeout(),
                settings.maxConcurrentCommands(), redis.address()), keys, settings, metrics, clock, purged);
    }

    /**
     * @param clock the time of a job's start, the fence sessions' created_at are compared with
     * @param purged told of each session a purge deleted, on a worker thread
     */
    public TenantPurgeService(PurgeCommands commands, SessionKeys keys, PurgeSettings settings,
            SessionMetrics metrics, Supplier<Instant> clock, PurgedSession purged) {
        this.state = new PurgeJobState(commands, keys, settings);
        this.topology = new ClusterTopology(commands);
        this.scan = new TenantScan(commands, keys);
        this.settings = settings;
        this.engine = new PurgeEngine(state, topology, scan, keys.prefix(), settings, metrics, clock, purged);
        metrics.purgeJobs(engine::jobs);
    }

    @PreDestroy
    void stop() {
        engine.shutdown();
    }

    @Override
    public Multi<PurgeJob> purge(String tenant) {
        return Multi.createFrom().deferred(() -> {
            AtomicReference<PurgeRun> started = new AtomicReference<>();
            AtomicBoolean cancelled = new AtomicBoolean();
            // Set-then-check on both sides: whichever of "started" and "cancelled" comes second stops the job.
            return engine.start(tenant, run -> {
                started.set(run);
                if (cancelled.get()) {
                    stopForCancelledSubscriber(run);
                }
            }).onItem().transformToMulti(TenantPurgeService::follow)
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

    @Override
    public Uni<PurgeJob> purgeToEnd(String tenant) {
        return purge(tenant).collect().last();
    }

    @Override
    public Uni<PurgeJob> start(String tenant) {
        return engine.start(tenant, run -> {
        }).map(PurgeRun::snapshot);
    }

    /** The job from this replica, else from Redis; a running job whose lock is gone is reported failed. */
    @Override
    public Uni<Optional<PurgeJob>> job(String id) {
        return Uni.createFrom().deferred(() -> {
            if (id == null || !JOB_ID.matcher(id).matches()) {
                return Uni.createFrom().item(Optional.empty());
            }
            PurgeRun run = engine.local(id);
            if (run != null) {
                return Uni.createFrom().item(Optional.of(run.snapshot()));
            }
            return state.load(id).chain(job -> {
                if (job == null || job.state().isTerminal()) {
                    return Uni.createFrom().item(Optional.ofNullable(job));
                }
                // Lock first, then the state again: a job stores its end before it releases its lock.
                return state.lockHolder(job.tenant()).chain(holder -> id.equals(holder)
                        ? Uni.createFrom().item(Optional.of(job))
                        : state.load(id).map(again -> Optional.ofNullable(again == null || again.state().isTerminal()
                                ? again
                                : again.withState(PurgeState.FAILED, null, "abandoned: the replica running it stopped "
                                        + "or lost Redis before it ended (its lock expired); run the purge again"))));
            });
        });
    }

    /** Snapshots until the end: live for a local job, polled from Redis for a job of another replica. */
    @Override
    public Multi<PurgeJob> events(String id) {
        return Multi.createFrom().deferred(() -> {
            PurgeRun run = id == null ? null : engine.local(id);
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

    /** Live snapshots of a job of this replica until its end. */
    private static Multi<PurgeJob> follow(PurgeRun run) {
        // LATEST: a slow subscriber skips intermediate snapshots, never the last one.
        return Multi.createFrom().emitter((Consumer<MultiEmitter<? super PurgeJob>>) run::listen,
                BackPressureStrategy.LATEST);
    }

    /** Sets the job's cancel flag in Redis (any replica's job reads it) and stops a local job at once. */
    @Override
    public Uni<PurgeJob> cancel(String id) {
        return job(id).chain(found -> {
            PurgeJob job = found.orElseThrow(() -> new PurgeNotFoundException(id));
            if (job.state().isTerminal()) {
                return Uni.createFrom().item(job);
            }
            PurgeRun run = engine.local(id);
            if (run != null) {
                run.requestCancel();
            }
            return state.requestCancel(id).map(known -> {
                LOG.infof("Purge %s of tenant %s: cancel requested", id, job.tenant());
                return job;
            });
        });
    }

    /** Session keys of the tenant, counted by the tenant scan in constant memory (approximate, see the interface). */
    @Override
    public Uni<Long> countSessions(String tenant) {
        return Uni.createFrom().deferred(() -> {
            TenantIds.require(tenant);
            AtomicLong seen = new AtomicLong();
            // One node failing makes the count fail: the other nodes need not finish their SCAN.
            AtomicBoolean failed = new AtomicBoolean();
            return topology.current()
                    .chain(nodes -> scan.count(nodes, tenant, settings.scanCount(), failed::get,
                            failure -> failed.set(true), (scanned, sessions, deleted, expired) -> {
                                seen.addAndGet(sessions.size());
                                return Uni.createFrom().voidItem();
                            }))
                    .map(ignored -> seen.get());
        });
    }
}
