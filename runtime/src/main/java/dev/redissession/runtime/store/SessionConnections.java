package dev.redissession.runtime.store;

import java.io.IOException;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.IntFunction;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * A few long-lived, pipelined connections of the session's Quarkus Redis client, shared by every request: each
 * command is written at once on one of them, so no request ever queues for a pooled connection, and Redis reads many
 * commands per system call. Connections are opened through the client, so topology (Sentinel's master, a cluster's
 * slots and redirections), credentials and TLS are the client's own.
 * <p>
 * <b>Standalone and Sentinel</b>: one connection is one server. One that fails, closes, answers {@code READONLY} (its
 * master was turned into a replica) or stays silent for two deadlines is dropped, and the next command opens a new
 * one, which asks Sentinel for the master anew.
 * <p>
 * <b>Cluster</b>: one connection holds a socket to every node and routes each command by slot, so a failure concerns
 * one node and must not take the others' sessions down. It is never dropped for a failure: the connection keeps
 * serving every healthy node (and follows the cluster's slot map, so a promoted replica takes its master's slots) while
 * a new one is built in the background, one at a time, retried with back-off until the cluster lets it connect to
 * every node again (after the failed master's replica was promoted), then swapped in. Each rebuilt connection comes
 * from a client of its own with the Quarkus client's options ({@link ClusterClients}), whose hosts start with the
 * node the last attempt started with, or with the next one after an attempt that failed or was given up: the Vert.x
 * client reads the slot map from its hosts in order and waits for ever on a hung one, so a client starting with a
 * hung node would never see the promotion. Such a client is closed at once when its attempt failed or was given up
 * (which also ends the attempt's wait on a hung node), and a command deadline after its connection was replaced (so
 * the commands still under way on it get their answers), or earlier when more than {@code size} wait for that: at
 * most {@code 2 * size + 1} are open.
 */
final class SessionConnections {

    private static final Logger LOG = Logger.getLogger(SessionConnections.class);
    private static final long FIRST_RETRY_MILLIS = 100;
    private static final long MAX_RETRY_MILLIS = 1000;
    /** How long the first rebuild attempt may take before it is given up (see {@link #renewNext}). */
    private static final long FIRST_ATTEMPT_MILLIS = 1000;
    /** Rebuild attempts that may be left unanswered behind the running one (see {@link #renewNext}). */
    private static final int MAX_GIVEN_UP_ATTEMPTS = 1;

    private final Redis client;
    private final boolean cluster;
    /** Cluster: a new client of the Quarkus client's configuration whose hosts start with the given one. */
    private final IntFunction<Redis> rebuildClient;
    /** Cluster: the host the next rebuild attempt's client starts with (modulo their number). */
    private final AtomicInteger firstHost = new AtomicInteger();
    /** Cluster: the rebuild clients not closed yet, to close at shutdown. */
    private final Set<Redis> rebuildClients = ConcurrentHashMap.newKeySet();
    /** Cluster: the rebuild clients of replaced connections, oldest first, closed a command deadline later. */
    private final Deque<Redis> retired = new ConcurrentLinkedDeque<>();
    private final long silentDropNanos;
    private final AtomicReferenceArray<CompletableFuture<Link>> slots;
    private final AtomicInteger next = new AtomicInteger();
    /** Cluster: whether a background rebuild runs (at most one, so it never holds more than one extra lease). */
    private final AtomicBoolean renewing = new AtomicBoolean();
    /** Cluster: rebuild attempts the client has not answered yet, the running one and those given up. */
    private final AtomicInteger unanswered = new AtomicInteger();
    /** How long a rebuild attempt may take at most before the next one is tried (the command deadline). */
    private final Duration attemptTimeout;
    private volatile boolean closed;

    /**
     * @param rebuildClient for a Redis Cluster client (failures are then isolated per node): a new client of its
     *        configuration whose hosts start with the given one, for the background rebuild; null otherwise
     * @param timeout the deadline of one command; a (non-cluster) connection silent for twice as long is dropped
     */
    SessionConnections(Redis client, IntFunction<Redis> rebuildClient, int size, Duration timeout) {
        this.client = client;
        this.cluster = rebuildClient != null;
        this.rebuildClient = rebuildClient;
        this.silentDropNanos = timeout.multipliedBy(2).toNanos();
        this.attemptTimeout = timeout;
        this.slots = new AtomicReferenceArray<>(size);
    }

    /** One open connection and when it last answered. */
    private static final class Link {
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
         * A failure of the connection rather than of the command (see {@link #concernsConnection}) drops it, or on a
         * cluster renews it. A command given up before its answer (the caller's deadline passed) drops it only when
         * nothing came back on it for twice the deadline: a half-open socket, not a slow Redis whose answers are still
         * coming, nor one whose last answer a caller still awaits. On a cluster the node that did not answer may hang
         * while the others answer, so a missed deadline renews the connection.
         */
        Uni<Response> send(Request request) {
            return watched(open -> open.connection.send(request));
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
            return answer.onFailure(SessionConnections::concernsConnection).invoke(() -> broken(slot, link))
                    .onCancellation().invoke(gaveUp(System.nanoTime()));
        }

        private <T> Uni<T> stamp(Link open, Uni<T> answer) {
            return answer.invoke(() -> open.lastAnswer = System.nanoTime());
        }

        private Runnable gaveUp(long sent) {
            return () -> {
                Link open = opened(link);
                if (cluster) {
                    if (open != null) {
                        renew(open);
                    }
                    return;
                }
                long silentFor = System.nanoTime() - (open == null ? sent : open.lastAnswer);
                if (open == null || open.lastAnswer - sent < 0 && silentFor > silentDropNanos) {
                    drop(slot, link);
                }
            };
        }
    }

    /**
     * Whether a failure says the connection (or, on a cluster, one of its nodes) is unusable: anything but a Redis
     * error reply, the client's {@code CONNECTION_CLOSED}, and {@code READONLY}, which a master turned replica answers
     * to every write.
     */
    private static boolean concernsConnection(Throwable failure) {
        return !(failure instanceof ErrorType error) || error.is("READONLY") || RedisCalls.isConnectionLoss(failure);
    }

    private CompletableFuture<Link> link(int slot) {
        while (true) {
            CompletableFuture<Link> current = slots.get(slot);
            if (current != null && !current.isCompletedExceptionally()) {
                return current;
            }
            CompletableFuture<Link> fresh = new CompletableFuture<>();
            if (slots.compareAndSet(slot, current, fresh)) {
                open(slot, fresh);
                return fresh;
            }
        }
    }

    /** Opens a connection through the Quarkus client into {@code fresh}, watching it for breaks. */
    private void open(int slot, CompletableFuture<Link> fresh) {
        open(slot, fresh, null, () -> {
        });
    }

    /**
     * @param owner the rebuild client to connect through, closed with the connection; null for the Quarkus client
     * @param answered runs when the client has answered the attempt, connected or not (a connection that comes after
     *        {@code fresh} was given up is closed)
     */
    private void open(int slot, CompletableFuture<Link> fresh, Redis owner, Runnable answered) {
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

    private void broken(int slot, CompletableFuture<Link> link) {
        Link open = opened(link);
        if (!cluster) {
            drop(slot, link);
        } else if (open != null) {
            renew(open);
        } // else it never opened: the next command opens one (link())
    }

    /** The link's connection, or null while it is being opened or when opening it failed. */
    private static Link opened(CompletableFuture<Link> link) {
        return link == null || !link.isDone() || link.isCompletedExceptionally() ? null : link.join();
    }

    /** Forgets the connection (if it is still the slot's) and closes it; the next command connects anew. */
    private void drop(int slot, CompletableFuture<Link> link) {
        if (slots.compareAndSet(slot, link, null)) {
            close(link);
        }
    }

    /** Cluster: marks the connection for replacement and starts the background rebuild unless one runs. */
    private void renew(Link link) {
        link.stale = true;
        if (!closed && renewing.compareAndSet(false, true)) {
            renewNext(0);
        }
    }

    /**
     * Rebuilds the first slot whose connection is stale, through a new rebuild client; when that fails (a node is
     * still down and listed), tries again after a back-off with a client starting with the next host. An attempt
     * unanswered after its deadline (1 s, doubled with each failed attempt up to the command deadline) counts as
     * failed and its client is closed, which ends its wait on a hung node. Should the close not end it, only one
     * such attempt is left behind: it holds a lease on every node, and given-up ones piling up would exhaust the
     * pools, so while one is still unanswered the next is waited for.
     */
    private void renewNext(int failedAttempts) {
        int slot = staleSlot();
        if (slot < 0 || closed) {
            renewing.set(false);
            // a connection marked stale between the search and the reset would wait for the next failure
            if (staleSlot() >= 0 && !closed && renewing.compareAndSet(false, true)) {
                renewNext(0);
            }
            return;
        }
        CompletableFuture<Link> old = slots.get(slot);
        CompletableFuture<Link> fresh = new CompletableFuture<>();
        Redis through;
        try {
            through = rebuildClient(firstHost.get());
        } catch (RuntimeException notCreated) {
            renewing.set(false);
            LOG.errorf(notCreated, "Cannot rebuild session store connection %d to the Redis cluster", slot);
            return;
        }
        unanswered.incrementAndGet();
        open(slot, fresh, through, unanswered::decrementAndGet);
        if (unanswered.get() <= MAX_GIVEN_UP_ATTEMPTS) {
            // An attempt that read a slot map still naming a hung node, or whose first host hangs, waits for that
            // node for ever, although the cluster promoted its replica meanwhile: give it up after a deadline, so the
            // next attempt reads the new map from the next host. The deadline starts short, since connecting takes
            // milliseconds when every node answers, and grows up to the command deadline with each failed attempt,
            // so a slow but healthy cluster still gets the time it needs.
            long deadline = Math.min(attemptTimeout.toMillis(), FIRST_ATTEMPT_MILLIS << Math.min(failedAttempts, 10));
            Infrastructure.getDefaultWorkerPool().schedule(() -> fresh.completeExceptionally(new IOException(
                    "no answer within " + deadline + " ms")), deadline, TimeUnit.MILLISECONDS);
        }
        fresh.whenComplete((link, failure) -> {
            if (failure == null) {
                if (slots.compareAndSet(slot, old, fresh)) {
                    close(old);
                } else {
                    close(fresh);
                }
                if (failedAttempts > 0) {
                    LOG.infof("Session store connection %d to the Redis cluster rebuilt after %d failed attempts",
                            slot, failedAttempts);
                }
                renewNext(0);
            } else {
                closeClient(through);
                firstHost.incrementAndGet();
                long delay = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(failedAttempts, 10));
                LOG.debugf("Rebuilding session store connection %s to the Redis cluster failed (%s); again in %s ms",
                        (Object) slot, failure.getMessage(), delay);
                Infrastructure.getDefaultWorkerPool().schedule(() -> renewNext(failedAttempts + 1), delay,
                        TimeUnit.MILLISECONDS);
            }
        });
    }

    /** The first slot whose open connection is marked stale, or -1. */
    private int staleSlot() {
        for (int slot = 0; slot < slots.length(); slot++) {
            Link open = opened(slots.get(slot));
            if (open != null && open.stale) {
                return slot;
            }
        }
        return -1;
    }

    /** A new rebuild client whose hosts start with the {@code first}-th, closed at shutdown if still open then. */
    private Redis rebuildClient(int first) {
        Redis created = rebuildClient.apply(first);
        rebuildClients.add(created);
        if (closed) {
            closeClient(created);
        }
        return created;
    }

    private void closeClient(Redis rebuilt) {
        if (rebuildClients.remove(rebuilt)) {
            rebuilt.close();
        }
    }

    /**
     * Closes the connection, which gives its sockets back to its client's pools: commands under way on them still get
     * their answers. A rebuild client is closed (with its sockets) once none can be under way any more, a command
     * deadline later, or at once for the oldest when more than {@code size} wait for that.
     */
    private void close(CompletableFuture<Link> link) {
        link.thenAccept(open -> {
            open.connection.closeAndForget();
            if (open.owner == null) {
                return;
            }
            retired.addLast(open.owner);
            Infrastructure.getDefaultWorkerPool().schedule(() -> {
                if (retired.remove(open.owner)) {
                    closeClient(open.owner);
                }
            }, attemptTimeout.toMillis(), TimeUnit.MILLISECONDS);
            while (retired.size() > slots.length()) {
                Redis oldest = retired.pollFirst();
                if (oldest != null) {
                    closeClient(oldest);
                }
            }
        });
    }

    /** Closes every connection, at shutdown. */
    void close() {
        closed = true;
        for (int slot = 0; slot < slots.length(); slot++) {
            CompletableFuture<Link> link = slots.getAndSet(slot, null);
            if (link != null) {
                close(link);
            }
        }
        rebuildClients.forEach(this::closeClient);
    }
}
