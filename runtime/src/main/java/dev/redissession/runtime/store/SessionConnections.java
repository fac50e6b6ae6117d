package dev.redissession.runtime.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * A few long-lived, pipelined connections of the session's Quarkus Redis client, shared by every request: each
 * command is written at once on one of them, so no request ever queues for a pooled connection, and Redis reads many
 * commands per system call. A connection that fails, closes, or stays silent for a whole deadline is dropped and the
 * next command opens a new one through the client, so topology (Sentinel's master, a cluster's slots), credentials and
 * TLS are the client's own.
 */
final class SessionConnections {

    private final Redis client;
    private final AtomicReferenceArray<CompletableFuture<Link>> slots;
    private final AtomicInteger next = new AtomicInteger();

    SessionConnections(Redis client, int size) {
        this.client = client;
        this.slots = new AtomicReferenceArray<>(size);
    }

    /** One open connection and when it last answered. */
    private static final class Link {
        final RedisConnection connection;
        volatile long lastAnswer = System.nanoTime();

        Link(RedisConnection connection) {
            this.connection = connection;
        }
    }

    /**
     * Sends on the next connection. A failure other than a Redis error reply drops that connection. A command given
     * up before its answer (the caller's deadline passed) drops it only if nothing at all came back on it since the
     * command was sent: a half-open socket, not merely a slow Redis whose other answers are still arriving.
     */
    Uni<Response> send(Request request) {
        int slot = Math.floorMod(next.getAndIncrement(), slots.length());
        CompletableFuture<Link> link = link(slot);
        long sent = System.nanoTime();
        return Uni.createFrom().completionStage(link.minimalCompletionStage())
                .chain(open -> open.connection.send(request).invoke(() -> open.lastAnswer = System.nanoTime()))
                .onFailure(failure -> !(failure instanceof ErrorType)).invoke(() -> drop(slot, link))
                .onCancellation().invoke(() -> {
                    Link open = link.getNow(null);
                    if (open == null || open.lastAnswer - sent < 0) {
                        drop(slot, link);
                    }
                });
    }

    private CompletableFuture<Link> link(int slot) {
        while (true) {
            CompletableFuture<Link> current = slots.get(slot);
            if (current != null && !current.isCompletedExceptionally()) {
                return current;
            }
            CompletableFuture<Link> fresh = new CompletableFuture<>();
            if (slots.compareAndSet(slot, current, fresh)) {
                client.connect().subscribe().with(open -> {
                    open.exceptionHandler(failure -> drop(slot, fresh));
                    open.endHandler(() -> drop(slot, fresh));
                    fresh.complete(new Link(open));
                }, fresh::completeExceptionally);
                return fresh;
            }
        }
    }

    /** Forgets the connection (if it is still the slot's) and closes it; the next command connects anew. */
    private void drop(int slot, CompletableFuture<Link> link) {
        if (slots.compareAndSet(slot, link, null)) {
            link.thenAccept(open -> open.connection.closeAndForget());
        }
    }

    /** Closes every connection, at shutdown. */
    void close() {
        for (int slot = 0; slot < slots.length(); slot++) {
            CompletableFuture<Link> link = slots.getAndSet(slot, null);
            if (link != null) {
                link.thenAccept(open -> open.connection.closeAndForget());
            }
        }
    }
}
