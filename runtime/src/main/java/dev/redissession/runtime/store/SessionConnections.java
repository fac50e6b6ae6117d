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
 * commands per system call. A connection that fails, closes, or stays silent for two deadlines is dropped and the
 * next command opens a new one through the client, so topology (Sentinel's master, a cluster's slots), credentials and
 * TLS are the client's own.
 */
final class SessionConnections {

    private final Redis client;
    private final long silentDropNanos;
    private final AtomicReferenceArray<CompletableFuture<Link>> slots;
    private final AtomicInteger next = new AtomicInteger();

    /** @param timeout the deadline of one command; a connection silent for twice as long is dropped */
    SessionConnections(Redis client, int size, java.time.Duration timeout) {
        this.client = client;
        this.silentDropNanos = timeout.multipliedBy(2).toNanos();
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

    /** Sends on the next connection. */
    Uni<Response> send(Request request) {
        return channel().send(request);
    }

    /** The next connection, for commands that must follow each other on one connection (answers come in order). */
    Channel channel() {
        int slot = Math.floorMod(next.getAndIncrement(), slots.length());
        return new Channel(slot, link(slot));
    }

    /** One connection, as it was when chosen: if it is dropped meanwhile, commands on it fail. */
    final class Channel {
        private final int slot;
        private final CompletableFuture<Link> link;

        private Channel(int slot, CompletableFuture<Link> link) {
            this.slot = slot;
            this.link = link;
        }

        /**
         * A failure other than a Redis error reply drops the connection. A command given up before its answer (the
         * caller's deadline passed) drops it only when nothing came back on it for twice the deadline: a half-open
         * socket, not a slow Redis whose answers are still coming, nor one whose last answer a caller still awaits.
         */
        Uni<Response> send(Request request) {
            long sent = System.nanoTime();
            return Uni.createFrom().completionStage(link.minimalCompletionStage())
                    .chain(open -> open.connection.send(request).invoke(() -> open.lastAnswer = System.nanoTime()))
                    .onFailure(failure -> !(failure instanceof ErrorType)).invoke(() -> drop(slot, link))
                    .onCancellation().invoke(() -> {
                        Link open = link.getNow(null);
                        long silentFor = System.nanoTime() - (open == null ? sent : open.lastAnswer);
                        if (open == null || open.lastAnswer - sent < 0 && silentFor > silentDropNanos) {
                            drop(slot, link);
                        }
                    });
        }
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
            close(link);
        }
    }

    private static void close(CompletableFuture<Link> link) {
        link.thenAccept(open -> open.connection.closeAndForget());
    }

    /** Closes every connection, at shutdown. */
    void close() {
        for (int slot = 0; slot < slots.length(); slot++) {
            CompletableFuture<Link> link = slots.getAndSet(slot, null);
            if (link != null) {
                close(link);
            }
        }
    }
}
