package dev.redissession.runtime.expiry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.redissession.SessionEnded;
import dev.redissession.SessionStoreUnavailableException;
import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.keys.ClusterSlots;
import dev.redissession.runtime.keys.SessionKeys;
import dev.redissession.runtime.metrics.SessionMetrics;
import dev.redissession.runtime.session.SessionEnds;
import dev.redissession.runtime.store.RedisClock;
import dev.redissession.runtime.store.RedisSessionStore;
import dev.redissession.runtime.store.RedisSessionStore.Expired;
import dev.redissession.runtime.store.RedisSessionStore.Swept;
import dev.redissession.runtime.store.SessionRedis;
import io.quarkus.runtime.StartupEvent;

/**
 * Delivers the expiry of sessions whose TTL ran out in Redis, without keyspace notifications: every
 * {@code quarkus.redis-session.expiry-sweep-interval} it reads the expiry index entries whose deadline passed and
 * announces each session found gone ({@link SessionEnds}, reason {@code expired}). One replica sweeps per interval
 * (the one that takes the turn: on a cluster a pass is one script call per slot, which N replicas need not repeat);
 * the sweep script removes what it answers in one atomic step, so each expiry reaches exactly one replica, once,
 * also when two replicas sweep at the same time (a turn that cannot be taken because Redis is unreachable).
 */
@Singleton
public class ExpirySweeper {

    private static final Logger LOG = Logger.getLogger(ExpirySweeper.class);
    /** Members per script call: a call stays short (Redis runs one script at a time), a pass loops until done. */
    static final int BATCH = 100;
    /**
     * Indexes swept at once on a cluster: the store's connections are pipelined, so 16384 one-slot calls take a
     * fraction of a second this way instead of seconds one after the other.
     */
    static final int CLUSTER_PARALLELISM = 16;

    private final RedisSessionStore store;
    private final RedisSessionConfig config;
    private final SessionEnds ends;
    private final SessionMetrics metrics;
    private final RedisClock clock;
    private final SessionKeys keys;
    private final List<String> indexes;
    private ScheduledExecutorService timer;
    /** On a cluster, while started: the threads a pass spreads the indexes over. */
    private ExecutorService workers;

    /** Public for tests that play a second replica over the same Redis (with its own {@code ends}). */
    @Inject
    public ExpirySweeper(RedisSessionStore store, RedisSessionConfig config, SessionRedis redis, RedisClock clock,
            SessionEnds ends, SessionMetrics metrics) {
        this.store = store;
        this.clock = clock;
        this.config = config;
        this.ends = ends;
        this.metrics = metrics;
        this.keys = new SessionKeys(config.keyPrefix(), redis.isCluster());
        this.indexes = indexes(keys, redis.isCluster());
    }

    void start(@Observes StartupEvent started) {
        long interval = config.expirySweepInterval().toMillis();
        if (interval <= 0) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(ExpirySweeper::daemon);
        if (indexes.size() > 1) {
            workers = Executors.newFixedThreadPool(CLUSTER_PARALLELISM, ExpirySweeper::daemon);
        }
        timer.scheduleWithFixedDelay(this::pass, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** One index on a standalone or Sentinel server; one per slot on a cluster (each in the slot of its sessions). */
    static List<String> indexes(SessionKeys keys, boolean cluster) {
        Set<String> indexes = new LinkedHashSet<>();
        for (int slot = 0; slot < (cluster ? ClusterSlots.SLOTS : 1); slot++) {
            indexes.add(keys.expiryIndex(slot));
        }
        return List.copyOf(indexes);
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, "redis-session-expiry-sweep");
        thread.setDaemon(true);
        return thread;
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    /**
     * Sweeps every index once when it is this replica's turn; a failure (Redis unavailable, logged by the store) waits
     * for the next pass.
     */
    public void pass() {
        try {
            if (!myTurn()) {
                return;
            }
            if (workers == null) {
                indexes.forEach(this::sweep);
            } else {
                sweepInParallel();
            }
        } catch (SessionStoreUnavailableException e) {
            // The store logged it (rate-limited); the entries stay in the index for the next pass.
        } catch (RuntimeException e) {
            LOG.errorf(e, "The expiry sweep failed; it tries again in %s", config.expirySweepInterval());
        }
    }

    /**
     * Whether this replica sweeps this interval: it took the turn, or the turn's key cannot be reached (on a cluster its
     * master may be lost while the other masters' sessions still expire; the atomic claim keeps a double sweep exact).
     */
    private boolean myTurn() {
        try {
            return store.takeTurn(keys.expirySweepTurn(), config.expirySweepInterval().toMillis());
        } catch (SessionStoreUnavailableException e) {
            return true;
        }
    }

    /** Every index once, {@link #CLUSTER_PARALLELISM} at a time; the first failure ends the pass. */
    private void sweepInParallel() {
        List<Future<?>> parts = new ArrayList<>(CLUSTER_PARALLELISM);
        for (int part = 0; part < CLUSTER_PARALLELISM; part++) {
            int first = part;
            parts.add(workers.submit(() -> {
                for (int i = first; i < indexes.size(); i += CLUSTER_PARALLELISM) {
                    sweep(indexes.get(i));
                }
            }));
        }
        try {
            for (Future<?> part : parts) {
                part.get();
            }
        } catch (ExecutionException e) {
            parts.forEach(part -> part.cancel(true));
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            parts.forEach(part -> part.cancel(true));
            Thread.currentThread().interrupt();
        }
    }

    /** @return how many expiries this call announced */
    int sweep(String index) {
        int announced = 0;
        Swept batch;
        do {
            batch = store.sweep(index, keys.expiryUsers(index), keys.prefix(), clock.now().toEpochMilli(), BATCH);
            for (Expired expired : batch.expired()) {
                int colon = expired.member().indexOf(':');
                String tenant = expired.member().substring(0, colon);
                metrics.expired(tenant);
                ends.ended(tenant, expired.member().substring(colon + 1), expired.userId(),
                        SessionEnded.Reason.EXPIRED);
                announced++;
            }
        } while (batch.due() == BATCH);
        return announced;
    }
}
