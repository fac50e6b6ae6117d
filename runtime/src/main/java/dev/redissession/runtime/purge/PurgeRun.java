package dev.redissession.runtime.purge;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.redissession.PurgeJob;
import dev.redissession.PurgeState;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * One purge job running on this replica: its counters, its stop requests and the subscribers of its progress.
 */
final class PurgeRun {

    final String id;
    final String tenant;
    final Instant startedAt;
    final RateLimiter rateLimiter;
    private final long startNanos = System.nanoTime();

    private long scanned;
    private long deleted;
    private long pages;
    private PurgeState state = PurgeState.RUNNING;
    private Instant finishedAt;
    private String error;
    /** Set once the terminal snapshot is stored and the lock released: subscribers then get it and complete. */
    private boolean closed;
    private final List<MultiEmitter<? super PurgeJob>> listeners = new ArrayList<>();
    /**
     * Held while emitting (never while holding the run's lock, never taken under it): node loops of a cluster end
     * pages in parallel, and a subscriber must get its snapshots one at a time and in order.
     */
    private final Object emitting = new Object();

    private volatile boolean cancelRequested;
    private volatile String failure;
    private final AtomicBoolean checkpointing = new AtomicBoolean();
    /** When the last state write ended ({@link System#nanoTime()}); the start counts as one. */
    private volatile long lastCheckpointNanos = startNanos;
    private volatile Cancellable lockRenewal;

    PurgeRun(String id, String tenant, Instant startedAt, RateLimiter rateLimiter) {
        this.id = id;
        this.tenant = tenant;
        this.startedAt = startedAt;
        this.rateLimiter = rateLimiter;
    }

    synchronized PurgeJob snapshot() {
        long elapsed = finishedAt != null ? Duration.between(startedAt, finishedAt).toMillis()
                : Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
        return new PurgeJob(id, tenant, state, scanned, deleted, pages, startedAt, finishedAt, elapsed, error);
    }

    /** Counts one page and tells the subscribers. */
    void pageDone(long pageScanned, long pageDeleted) {
        synchronized (emitting) {
            PurgeJob now;
            List<MultiEmitter<? super PurgeJob>> targets;
            synchronized (this) {
                scanned += pageScanned;
                deleted += pageDeleted;
                pages++;
                now = snapshot();
                targets = List.copyOf(listeners);
            }
            // On a copy and outside the run's lock: a subscriber may cancel (and unregister) inside emit.
            targets.forEach(listener -> listener.emit(now));
        }
    }

    /** Whether the node loops must stop before their next page. */
    boolean shouldStop() {
        return cancelRequested || failure != null;
    }

    void requestCancel() {
        cancelRequested = true;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    /** Records why the job fails (the first reason wins) and makes every node loop stop; whether it was the first. */
    boolean fail(String reason) {
        synchronized (this) {
            if (failure == null) {
                failure = reason;
                return true;
            }
            return false;
        }
    }

    String failure() {
        return failure;
    }

    /**
     * Whether this page writes the state: at most one write in flight, and none until {@code intervalNanos} after the
     * last one ended (a page that skips leaves it to a later page; the end is always written).
     */
    boolean beginCheckpoint(long intervalNanos) {
        return System.nanoTime() - lastCheckpointNanos >= intervalNanos && checkpointing.compareAndSet(false, true);
    }

    void endCheckpoint() {
        lastCheckpointNanos = System.nanoTime();
        checkpointing.set(false);
    }

    void lockRenewal(Cancellable renewal) {
        this.lockRenewal = renewal;
    }

    void stopLockRenewal() {
        Cancellable renewal = lockRenewal;
        if (renewal != null) {
            renewal.cancel();
        }
    }

    /** Fixes the terminal state; subscribers see it once {@link #close()} is called. */
    synchronized PurgeJob end(PurgeState terminal, String reason) {
        if (!state.isTerminal()) {
            state = terminal;
            error = reason;
            // On the start's clock (Redis's), whatever this replica's own clock says.
            finishedAt = startedAt.plusNanos(System.nanoTime() - startNanos).truncatedTo(ChronoUnit.MILLIS);
        }
        return snapshot();
    }

    synchronized boolean isEnded() {
        return state.isTerminal();
    }

    /** Emits the terminal snapshot to every subscriber and completes them. */
    void close() {
        synchronized (emitting) {
            List<MultiEmitter<? super PurgeJob>> toComplete;
            PurgeJob last;
            synchronized (this) {
                closed = true;
                last = snapshot();
                toComplete = new ArrayList<>(listeners);
                listeners.clear();
            }
            for (MultiEmitter<? super PurgeJob> listener : toComplete) {
                listener.emit(last);
                listener.complete();
            }
        }
    }

    /** Subscribes to the progress: the current snapshot now, then one per page, then the terminal one. */
    void listen(MultiEmitter<? super PurgeJob> listener) {
        synchronized (emitting) {
            PurgeJob now;
            boolean ended;
            synchronized (this) {
                now = snapshot();
                ended = closed;
                if (!closed) {
                    listeners.add(listener);
                }
            }
            if (ended) {
                listener.emit(now);
                listener.complete();
                return;
            }
            listener.onTermination(() -> {
                synchronized (PurgeRun.this) {
                    listeners.remove(listener);
                }
            });
            if (now.state() == PurgeState.RUNNING) {
                listener.emit(now);
            }
        }
    }
}
