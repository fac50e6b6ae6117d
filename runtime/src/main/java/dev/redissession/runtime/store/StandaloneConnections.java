package dev.redissession.runtime.store;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.vertx.mutiny.redis.client.Redis;

/**
 * The session connections to a standalone server or Sentinel's master, where one connection is one server: one that
 * fails, closes, answers {@code READONLY} (its master was turned into a replica) or stays silent for two deadlines is
 * dropped, and the next command opens a new one, which asks Sentinel for the master anew.
 */
final class StandaloneConnections extends SessionConnections {

    private final long silentDropNanos;

    /** @param timeout the deadline of one command; a connection silent for twice as long is dropped */
    StandaloneConnections(Redis client, int size, Duration timeout) {
        super(client, size);
        this.silentDropNanos = timeout.multipliedBy(2).toNanos();
    }

    @Override
    void broken(int slot, CompletableFuture<Link> link) {
        drop(slot, link);
    }

    /**
     * Drops the connection only when nothing came back on it for twice the deadline: a half-open socket, not a slow
     * Redis whose answers are still coming, nor one whose last answer a caller still awaits.
     */
    @Override
    void gaveUp(int slot, CompletableFuture<Link> link, long sentNanos) {
        Link open = opened(link);
        long silentFor = System.nanoTime() - (open == null ? sentNanos : open.lastAnswer);
        if (open == null || open.lastAnswer - sentNanos < 0 && silentFor > silentDropNanos) {
            drop(slot, link);
        }
    }

    /** Forgets the connection (if it is still the slot's) and closes it; the next command connects anew. */
    private void drop(int slot, CompletableFuture<Link> link) {
        if (slots.compareAndSet(slot, link, null)) {
            close(link);
        }
    }
}
