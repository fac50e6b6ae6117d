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
 * commands per system call. A connection that fails, closes or stops answering is dropped and the next command opens
 * a new one, through the client, so topology (Sentinel's master, a cluster's slots), credentials and TLS are the
 * client's own.
 */
final class SessionConnections {

    private final Redis client;
    private final AtomicReferenceArray<CompletableFuture<RedisConnection>> slots;
    private final AtomicInteger next = new AtomicInteger();

    SessionConnections(Redis client, int size) {
        this.client = client;
        this.slots = new AtomicReferenceArray<>(size);
    }

    /**
     * Sends on the next connection. A failure other than a Redis error reply drops that connection, and so does a
     * command given up before its answer (the caller's deadline passed): the socket may be half-open.
     */
    Uni<Response> send(Request request) {
        int slot = Math.floorMod(next.getAndIncrement(), slots.length());
        CompletableFuture<RedisConnection> connection = connection(slot);
        return Uni.createFrom().completionStage(connection.minimalCompletionStage())
                .chain(open -> open.send(request))
                .onFailure(failure -> !(failure instanceof ErrorType)).invoke(() -> drop(slot, connection))
                .onCancellation().invoke(() -> drop(slot, connection));
    }

    private CompletableFuture<RedisConnection> connection(int slot) {
        while (true) {
            CompletableFuture<RedisConnection> current = slots.get(slot);
            if (current != null && !current.isCompletedExceptionally()) {
                return current;
            }
            CompletableFuture<RedisConnection> fresh = new CompletableFuture<>();
            if (slots.compareAndSet(slot, current, fresh)) {
                client.connect().subscribe().with(open -> {
                    open.exceptionHandler(failure -> drop(slot, fresh));
                    open.endHandler(() -> drop(slot, fresh));
                    fresh.complete(open);
                }, fresh::completeExceptionally);
                return fresh;
            }
        }
    }

    /** Forgets the connection (if it is still the slot's) and closes it; the next command connects anew. */
    private void drop(int slot, CompletableFuture<RedisConnection> connection) {
        if (slots.compareAndSet(slot, connection, null)) {
            connection.thenAccept(RedisConnection::closeAndForget);
        }
    }

    /** Closes every connection, at shutdown. */
    void close() {
        for (int slot = 0; slot < slots.length(); slot++) {
            CompletableFuture<RedisConnection> connection = slots.getAndSet(slot, null);
            if (connection != null) {
                connection.thenAccept(RedisConnection::closeAndForget);
            }
        }
    }
}
