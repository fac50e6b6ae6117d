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
import java.util.function.IntFunction;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * The session connections to a Redis Cluster, where one connection holds a socket to every node and routes each
 * command by slot, so a failure concerns one node and must not take the others' sessions down. It is never dropped
 * for a failure: the connection keeps serving every healthy node (and follows the cluster's slot map, so a promoted
 * replica takes its master's slots) while a new one is built in the background, one at a time, retried with back-off
 * until the cluster lets it connect to every node again (after the failed master's replica was promoted), then
 * swapped in.
 * <p>
 * Each rebuilt connection comes from a client of its own with the Quarkus client's options ({@link ClusterClients}),
 * whose hosts start with the node the last attempt started with, or with the next one after an attempt that failed
 * or was given up: the Vert.x client reads the slot map from its hosts in order and waits for ever on a hung one, so a
 * client starting with a hung node would never see the promotion. Such a client is closed at once when its attempt
 * failed or was given up (which also ends the attempt's wait on a hung node), and a command deadline after its
 * connection was replaced (so the commands still under way on it get their answers), or earlier when more than
 * {@code size} wait for that: at most {@code 2 * size + 1} are open.
 */
final class ClusterConnections extends SessionConnections {

    private static final Logger LOG = Logger.getLogger(ClusterConnections.class);
    private static final long FIRST_RETRY_MILLIS = 100;
    private static final long MAX_RETRY_MILLIS = 1000;
    /** How long the first rebuild attempt may take before it is given up (see {@link #renewNext}). */
    private static final long FIRST_ATTEMPT_MILLIS = 1000;
    /** Rebuild attempts that may be left unanswered behind the running one (see {@link #renewNext}). */
    private static final int MAX_GIVEN_UP_ATTEMPTS = 1;
    /** How the client reports the failure of the first command of a pipeline. */
    private static final String PIPELINE_ERROR = "ERR [0] ";
    /** A Redis error code: the first word of an error reply, in capitals ({@code CLUSTERDOWN}, {@code MOVED}, ...). */
    private static final Pattern ERROR_CODE = Pattern.compile("^[A-Z][A-Z_]*( |$)");
    /** What the client makes of an exception: its class name, maybe a message ({@code java.io.IOException: ...}). */
    private static final Pattern EXCEPTION = Pattern.compile("^[a-z][\\w$]*(\\.[\\w$]+)+(:.*)?$", Pattern.DOTALL);

    /** A new client of the Quarkus client's configuration whose hosts start with the given one. */
    private final IntFunction<Redis> rebuildClient;
    /** The host the next rebuild attempt's client starts with (modulo their number). */
    private final AtomicInteger firstHost = new AtomicInteger();
    /** The rebuild clients not closed yet, to close at shutdown. */
    private final Set<Redis> rebuildClients = ConcurrentHashMap.newKeySet();
    /** The rebuild clients of replaced connections, oldest first, closed a command deadline later. */
    private final Deque<Redis> retired = new ConcurrentLinkedDeque<>();
    /** Whether a background rebuild runs (at most one, so it never holds more than one extra lease). */
    private final AtomicBoolean renewing = new AtomicBoolean();
    /** Rebuild attempts the client has not answered yet, the running one and those given up. */
    private final AtomicInteger unanswered = new AtomicInteger();
    /** How long a rebuild attempt may take at most before the next one is tried (the command deadline). */
    private final Duration attemptTimeout;
    private volatile boolean closed;

    /**
     * @param rebuildClient a new client of the Quarkus client's configuration whose hosts start with the given one,
     *        for the background rebuild
     * @param timeout the deadline of one command
     */
    ClusterConnections(Redis client, IntFunction<Redis> rebuildClient, int size, Duration timeout) {
        super(client, size);
        this.rebuildClient = rebuildClient;
        this.attemptTimeout = timeout;
    }

    /**
     * Sent as a pipeline of one: the Vert.x client answers a single command's {@code CLUSTERDOWN} (a slot whose master
     * is lost, or the whole cluster down) and {@code TRYAGAIN} by sending it again, for about 14 s, far past the
     * deadline, but reports them at once from a pipeline, so the request gets its 503 at once
     * ({@code RedisSessionStore} retries {@code TRYAGAIN} itself). A pipeline's {@code MOVED} or {@code ASK} is not
     * followed either, so the command goes again as a plain one, which the client follows ({@code ASKING} included).
     */
    @Override
    Uni<Response> one(RedisConnection connection, Request request) {
        return connection.batch(List.of(request)).map(replies -> replies.get(0))
                .onFailure().transform(ClusterConnections::unpipelined)
                .onFailure(failure -> RedisCalls.isError(failure, "MOVED") || RedisCalls.isError(failure, "ASK"))
                .recoverWithUni(() -> connection.send(request));
    }

    /**
     * The failure as a single command would have had it: a pipeline reports every failure of its command, also a
     * broken socket, as an error reply {@code ERR [0] <reply, or the exception's toString>}; one that is no Redis error
     * reply becomes an I/O failure again, so it counts as a failure of the connection (and is retried by the client's
     * caller), not as a refusal.
     */
    static Throwable unpipelined(Throwable failure) {
        String message = failure instanceof ErrorType ? String.valueOf(failure.getMessage()) : "";
        if (!message.startsWith(PIPELINE_ERROR)) {
            return failure;
        }
        String reply = message.substring(PIPELINE_ERROR.length());
        if (ERROR_CODE.matcher(reply).find()) {
            return ErrorType.create(reply);
        }
        // What the client made of an exception (java.io.IOException: Broken pipe), or an ERR reply it stripped
        return EXCEPTION.matcher(reply).matches() ? new IOException(reply, failure)
                : ErrorType.create("ERR " + reply);
    }

    /** A node failed: the connection keeps serving the others until a rebuilt one replaces it. */
    @Override
    void broken(int slot, CompletableFuture<Link> link) {
        Link open = opened(link);
        if (open != null) {
            renew(open);
        } // else it never opened: the next command opens one
    }

    /** The node that did not answer may hang while the others answer, so a missed deadline renews the connection. */
    @Override
    void gaveUp(int slot, CompletableFuture<Link> link, long sentNanos) {
        broken(slot, link);
    }

    /** Marks the connection for replacement and starts the background rebuild unless one runs. */
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
     * A rebuild client is closed (with its sockets) once none of its commands can be under way any more, a command
     * deadline later, or at once for the oldest when more than {@code size} wait for that.
     */
    @Override
    void close(CompletableFuture<Link> link) {
        super.close(link);
        link.thenAccept(open -> {
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

    @Override
    void close() {
        closed = true;
        super.close();
        rebuildClients.forEach(this::closeClient);
    }
}
