package dev.redissession.runtime.purge;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * At most {@code max} purge commands in flight at once, all jobs of this replica together; the others wait here, in
 * order, rather than in the Redis client's pool, whose bounded wait queue fails commands once it is full.
 */
final class CommandQueue {

    private final int max;
    private final Queue<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int inFlight;

    CommandQueue(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("at least one command must be allowed in flight, not " + max);
        }
        this.max = max;
    }

    /**
     * The command, subscribed once it has its turn; its deadline (if any) starts then, not while it waits. Cancelled
     * while waiting, it never runs; cancelled while running, it is cancelled and gives its place back.
     */
    <T> Uni<T> submit(Supplier<Uni<T>> command) {
        return Uni.createFrom().emitter(emitter -> {
            CompletableFuture<Void> turn = acquire();
            AtomicReference<Cancellable> running = new AtomicReference<>();
            emitter.onTermination(() -> {
                // cancel() fails once the turn was granted: then this command holds a place to give back
                if (!turn.cancel(false)) {
                    Cancellable subscription = running.get();
                    if (subscription != null) {
                        subscription.cancel();
                    }
                    release();
                }
            });
            // The turn is never handed to Mutiny: a cancelled waiter's future must not become a dropped error.
            turn.thenRun(() -> {
                try {
                    running.set(command.get().subscribe().with(emitter::complete, emitter::fail));
                } catch (RuntimeException e) {
                    emitter.fail(e);
                }
            });
        });
    }

    private CompletableFuture<Void> acquire() {
        CompletableFuture<Void> turn = new CompletableFuture<>();
        synchronized (this) {
            if (inFlight >= max) {
                waiting.add(turn);
                return turn;
            }
            inFlight++;
        }
        turn.complete(null);
        return turn;
    }

    /** Hands the place to the first waiter still waiting, else frees it. */
    private void release() {
        while (true) {
            CompletableFuture<Void> next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    inFlight--;
                    return;
                }
            }
            // Outside the lock: completing runs the waiter's command on this thread. False: it was cancelled.
            if (next.complete(null)) {
                return;
            }
        }
    }
}
