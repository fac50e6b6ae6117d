package dev.redissession.runtime.expiry;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
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
import dev.redissession.runtime.store.RedisSessionStore;
import dev.redissession.runtime.store.RedisSessionStore.Expired;
import dev.redissession.runtime.store.RedisSessionStore.Swept;
import dev.redissession.runtime.store.SessionRedis;
import io.quarkus.runtime.StartupEvent;

/**
 * Delivers the expiry of sessions whose TTL ran out in Redis, without keyspace notifications: every
 * {@code quarkus.redis-session.expiry-sweep-interval} it reads the expiry index entries whose deadline passed and
 * announces each session found gone ({@link SessionEnds}, reason {@code expired}). Every replica sweeps; the sweep
 * script removes what it answers in one atomic step, so each expiry reaches exactly one replica, once.
 */
@Singleton
public class ExpirySweeper {

    private static final Logger LOG = Logger.getLogger(ExpirySweeper.class);
    /** Members per script call: a call stays short (Redis runs one script at a time), a pass loops until done. */
    static final int BATCH = 100;

    private final RedisSessionStore store;
    private final RedisSessionConfig config;
    private final SessionEnds ends;
    private final SessionMetrics metrics;
    private final SessionKeys keys;
    private final List<String> indexes;
    private ScheduledExecutorService timer;

    /** Public for tests that play a second replica over the same Redis (with its own {@code ends}). */
    @Inject
    public ExpirySweeper(RedisSessionStore store, RedisSessionConfig config, SessionRedis redis, SessionEnds ends,
            SessionMetrics metrics) {
        this.store = store;
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
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "redis-session-expiry-sweep");
            thread.setDaemon(true);
            return thread;
        });
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

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Sweeps every index once; a failure (Redis unavailable, logged by the store) waits for the next pass. */
    public void pass() {
        try {
            for (String index : indexes) {
                sweep(index);
            }
        } catch (SessionStoreUnavailableException e) {
            // The store logged it (rate-limited); the entries stay in the index for the next pass.
        } catch (RuntimeException e) {
            LOG.errorf(e, "The expiry sweep failed; it tries again in %s", config.expirySweepInterval());
        }
    }

    /** @return how many expiries this call announced */
    int sweep(String index) {
        int announced = 0;
        Swept batch;
        do {
            batch = store.sweep(index, keys.expiryUsers(index), keys.prefix(), System.currentTimeMillis(), BATCH);
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
