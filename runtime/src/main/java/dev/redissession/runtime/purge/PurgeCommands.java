package dev.redissession.runtime.purge;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.redissession.SessionStoreUnavailableException;
import dev.redissession.runtime.failure.FailureKind;
import dev.redissession.runtime.metrics.SessionMetrics;
import dev.redissession.runtime.store.LuaScripts;
import dev.redissession.runtime.store.RedisCalls;
import dev.redissession.runtime.store.RedisCalls.Effect;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The purge's way to Redis: the session store's client, and every call through {@link RedisCalls} (deadline,
 * failure classification into {@link SessionStoreUnavailableException}, bounded log). Job state, cluster topology
 * and the tenant scan send their commands here and nowhere else, through one {@link CommandQueue}: however many jobs
 * run, the purge holds a bounded number of the client's pooled connections.
 */
public final class PurgeCommands {

    private final Redis redis;
    private final boolean cluster;
    private final String address;
    private final RedisCalls calls;
    private final CommandQueue queue;

    /**
     * @param redis the client the sessions live in
     * @param cluster whether it talks to a Redis Cluster
     * @param timeout how long one command (or pipeline) may take, from the moment it leaves the queue
     * @param maxInFlight most commands (or pipelines) in flight at once, all callers together
     * @param address the Redis address for the log, without credentials
     */
    public PurgeCommands(Redis redis, boolean cluster, Duration timeout, int maxInFlight, String address) {
        this.redis = redis;
        this.cluster = cluster;
        this.address = address;
        this.calls = new RedisCalls(timeout, address, false, SessionMetrics.NONE);
        this.queue = new CommandQueue(maxInFlight);
    }

    boolean cluster() {
        return cluster;
    }

    String address() {
        return address;
    }

    /** One command; {@code key} (or {@code null}) names it in the log, redacted. */
    Uni<Response> send(Request request, String key, Effect effect) {
        return send(request, key, effect, failure -> false);
    }

    /** {@link #send(Request, String, Effect)}, leaving failures for which {@code expected} holds to the caller. */
    Uni<Response> send(Request request, String key, Effect effect, Predicate<Throwable> expected) {
        return queue.submit(() -> calls.guard(redis.send(request), request.command().toString(), key, effect, expected));
    }

    /** A pipeline (on a cluster: to the node of its first key); {@code what} names it in the log. */
    Uni<List<Response>> batch(List<Request> requests, String what, Effect effect) {
        return queue.submit(() -> calls.guard(redis.batch(requests), what, null, effect));
    }

    /** One call of the script on {@code key} ({@link LuaScripts#run}: {@code EVALSHA}, {@code EVAL} when needed). */
    Uni<Response> eval(LuaScripts script, String key, Effect effect, Object... args) {
        return queue.submit(() -> calls.guard(script.run(redis::send, List.of(key), List.of(args)), script.command(), key,
                effect));
    }

    /** A pipeline of calls of the script, one per key (on a cluster: to the node of the first key). */
    Uni<List<Response>> evalEach(LuaScripts script, List<String> keys, String what, Effect effect, Object... args) {
        return queue.submit(() -> calls.guard(script.runEach(redis::batch, keys, List.of(args)), what, null, effect));
    }

    /**
     * A pipeline that {@code build} makes of calls of the script (one call per list of keys, each with {@code arg})
     * and other commands; sent
     * again with {@code EVAL} when the server lacks the script, so its other commands must be safe to run twice.
     */
    Uni<List<Response>> batchWithScript(LuaScripts script, Object arg,
            Function<Function<List<String>, Request>, List<Request>> build, String what, Effect effect) {
        return calls.guard(script.runWith(call -> redis.batch(build.apply(call)), List.of(arg)), what, null, effect);
    }

    /**
     * The cluster's slots moved (or are moving) while a purge ran, or are not all served, or the client does not
     * match the server: the purge or count cannot be complete. A {@link SessionStoreUnavailableException} with the
     * error code {@code cluster_changed} (the admin API answers 503).
     */
    public static final class ClusterChangedException extends SessionStoreUnavailableException {

        ClusterChangedException(String message) {
            this(message, true);
        }

        /** @param transientState whether trying again later may succeed (slots moving), not a configuration error */
        ClusterChangedException(String message, boolean transientState) {
            super(transientState ? message + "; run the purge again once the cluster is stable" : message, null,
                    transientState);
        }

        @Override
        public String errorCode() {
            return FailureKind.CLUSTER_CHANGED.error();
        }
    }
}
