package dev.redissession.runtime.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.PooledRedisConnection;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * A few long-lived, pipelined connections of the session's Quarkus Redis client, shared by every request: each
 * command is written at once on one of them, so no request ever queues for a pooled connection, and Redis reads many
 * commands per system call. Connections are opened through the client, so topology (Sentinel's master, a cluster's
 * slots and redirections), credentials and TLS are the client's own. What a failed connection becomes is the
 * strategy's: {@link StandaloneConnections} closes it for real and reopens it, {@link ClusterConnections} rebuilds it
 * in the background.
 */
abstract class SessionConnections {

    private final Redis client;
    /** The connections, by slot: each one opening, open, failed to open, or null until first used. */
    final AtomicReferenceArray<CompletableFuture<Link>> slots;
    private final AtomicInteger next = new AtomicInteger();

    SessionConnections(Redis client, int size) {
        this.client = client;
        this.slots = new AtomicReferenceArray<>(size);
    }

    /** One open connection and when it last answered. */
    static final class Link {
        final RedisConnection connection;
        /** Cluster: the rebuild client the connection came from, closed with it; null for the Quarkus client. */
        final Redis owner;
        volatile long lastAnswer = System.nanoTime();
        /** Cluster: a node of it failed, so a rebuilt connection should replace it. */
        volatile boolean stale;

        Link(RedisConnection connection, Redis owner) {
            this.connection = connection;
            this.owner = owner;
        }
    }

    /**
     * A failure of the connection rather than of a command on it (see {@link #concernsConnection}), or of one of its
     * sockets.
     */
    abstract void broken(int slot, CompletableFuture<Link> link);

    /** A command on the connection, sent at {@code sentNanos}, was given up before its answer (its deadline passed). */
    abstract void gaveUp(int slot, CompletableFuture<Link> link, long sentNanos);

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

        /** A command; its failures and missed deadlines are the strategy's to act on ({@link #broken}, {@link #gaveUp}). */
        Uni<Response> send(Request request) {
            return watched(open -> one(open.connection, request));
        }

        /** The commands pipelined back to back on this connection (on a cluster: to the node of the first key). */
        Uni<List<Response>> batch(List<Request> requests) {
            return watched(open -> open.connection.batch(requests));
        }

        private <T> Uni<T> watched(Function<Link, Uni<T>> command) {
            Link open = opened(link);
            // Nearly always the connection is open and used at once; only one still being opened is waited for.
            Uni<T> answer = open != null ? stamp(open, command.apply(open))
                    : Uni.createFrom().completionStage(link.minimalCompletionStage())
                            .chain(opened -> stamp(opened, command.apply(opened)));
            long sent = System.nanoTime();
            return answer.onFailure(SessionConnections::concernsConnection).invoke(() -> broken(slot, link))
                    .onCancellation().invoke(() -> gaveUp(slot, link, sent));
        }

        private <T> Uni<T> stamp(Link open, Uni<T> answer) {
            return answer.invoke(() -> open.lastAnswer = System.nanoTime());
        }
    }

    /** One command on the connection. */
    Uni<Response> one(RedisConnection connection, Request request) {
        return connection.send(request);
    }

    /**
     * Whether a failure says the connection (or, on a cluster, one of its nodes) is unusable: anything but a Redis
     * error reply, the client's {@code CONNECTION_CLOSED}, and {@code READONLY}, which a master turned replica answers
     * to every write.
     */
    private static boolean concernsConnection(Throwable failure) {
        return !(failure instanceof ErrorType) || RedisCalls.isError(failure, "READONLY")
                || RedisCalls.isConnectionLoss(failure);
    }

    /** The slot's connection, opening one through the Quarkus client when it has none or opening it failed. */
    private CompletableFuture<Link> link(int slot) {
        while (true) {
            CompletableFuture<Link> current = slots.get(slot);
            if (current != null && !current.isCompletedExceptionally()) {
                return current;
            }
            CompletableFuture<Link> fresh = new CompletableFuture<>();
            if (slots.compareAndSet(slot, current, fresh)) {
                open(slot, fresh, null, () -> {
                });
                return fresh;
            }
        }
    }

    /**
     * Opens a connection into {@code fresh}, watching it for breaks.
     *
     * @param owner the rebuild client to connect through, closed with the connection; null for the Quarkus client
     * @param answered runs when the client has answered the attempt, connected or not (a connection that comes after
     *        {@code fresh} was given up is closed)
     */
    void open(int slot, CompletableFuture<Link> fresh, Redis owner, Runnable answered) {
        (owner == null ? client : owner).connect().subscribe().with(open -> {
            answered.run();
            // On a cluster these are set on every node's socket: one of them ending is a failure of one node.
            open.exceptionHandler(failure -> broken(slot, fresh));
            open.endHandler(() -> broken(slot, fresh));
            if (!fresh.complete(new Link(open, owner))) {
                open.closeAndForget();
            }
        }, failure -> {
            answered.run();
            fresh.completeExceptionally(failure);
        });
    }

    /** The link's connection, or null while it is being opened or when opening it failed. */
    static Link opened(CompletableFuture<Link> link) {
        return link == null || !link.isDone() || link.isCompletedExceptionally() ? null : link.join();
    }

    /**
     * Closes the connection, which gives its sockets back to its client's pools: commands under way on them still get
     * their answers.
     */
    void close(CompletableFuture<Link> link) {
        link.thenAccept(open -> open.connection.closeAndForget());
    }

    /**
     * Closes the connection's socket for real, which also takes it out of its client's pool: given back, a socket that
     * no longer carries anything (a lost NAT entry, a stuck proxy) would be the next one {@code connect()} hands out.
     * Commands under way on it fail. A connection that hides its socket (Sentinel's automatic failover,
     * {@code quarkus.redis.auto-failover=true}; the Quarkus client's own) can only be given back.
     */
    void discard(CompletableFuture<Link> link) {
        link.thenAccept(open -> {
            if (open.connection.getDelegate() instanceof PooledRedisConnection pooled) {
                pooled.actual().forceClose(); // the pool forgets a socket once it closed
            } else {
                open.connection.closeAndForget();
            }
        });
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
