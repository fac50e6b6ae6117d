package dev.redissession.runtime.store;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.redis.client.Redis;

/**
 * The session connections to a standalone server or Sentinel's master, where one connection is one server: one that
 * fails, closes, answers {@code READONLY} (its master was turned into a replica) or leaves a command unanswered past
 * its deadline is closed for real (its socket, not given back to the client's pool), and the next command opens a new
 * socket, which asks Sentinel for the master anew.
 * <p>
 * The connections come from a client of the store's own with the Quarkus client's options ({@link ClusterClients}):
 * the Quarkus client wraps its connections (for its metrics) and so hides their sockets, which could then only be given
 * back to its pool, the next {@code connect()} handing out the same dead socket again.
 */
final class StandaloneConnections extends SessionConnections {

    private final Redis own;
    private final Duration timeout;

    /**
     * @param own a client of the store's own, closed with these connections
     * @param timeout the deadline of one command
     */
    StandaloneConnections(Redis own, int size, Duration timeout) {
        super(own, size);
        this.own = own;
        this.timeout = timeout;
    }

    @Override
    void close() {
        super.close();
        own.close();
    }

    @Override
    void broken(int slot, CompletableFuture<Link> link) {
        if (slots.compareAndSet(slot, link, null)) {
            discard(link);
        }
    }

    /**
     * When nothing at all came back on the connection since the command was sent, its socket no longer carries
     * anything (a half-open socket, a lost NAT entry, a stuck proxy): it is dropped, and so is every other connection
     * silent since then, since they share the path, so that the next requests do not each wait a deadline to find
     * theirs dead too. A connection that answered meanwhile talks to a slow Redis, whose answers are still coming: it
     * is kept. One that is still being opened is dropped as well (and closed once it opens).
     * <p>
     * A dropped connection takes no new command, but its socket is closed only a deadline later: an answer that comes
     * late after all still reaches the check that follows an unanswered write on its connection
     * ({@code RedisSessionStore.landed}).
     */
    @Override
    void gaveUp(int slot, CompletableFuture<Link> link, long sentNanos) {
        Link open = opened(link);
        if (open == null || silentSince(open, sentNanos)) {
            drop(slot, link);
            for (int other = 0; other < slots.length(); other++) {
                CompletableFuture<Link> theirs = slots.get(other);
                if (silentSince(opened(theirs), sentNanos)) {
                    drop(other, theirs);
                }
            }
        }
    }

    /** Whether the connection (null: not open) has answered nothing since {@code sentNanos}. */
    private static boolean silentSince(Link open, long sentNanos) {
        return open != null && open.lastAnswer - sentNanos < 0;
    }

    /**
     * Forgets the silent connection (if it is still the slot's), so the next command connects anew, and closes its
     * socket a deadline later.
     */
    private void drop(int slot, CompletableFuture<Link> link) {
        if (slots.compareAndSet(slot, link, null)) {
            Infrastructure.getDefaultWorkerPool().schedule(() -> discard(link), timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }
}
