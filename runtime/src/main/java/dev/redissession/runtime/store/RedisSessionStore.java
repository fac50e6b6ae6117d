package dev.redissession.runtime.store;

import java.time.Duration;
import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.redissession.SessionStoreUnavailableException;
import dev.redissession.runtime.codec.CorruptSessionException;
import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.metrics.SessionMetrics;
import dev.redissession.runtime.store.RedisCalls.Effect;
import dev.redissession.runtime.store.RedisCalls.OutcomeUnknownException;
import dev.redissession.runtime.store.SessionConnections.Channel;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * Every Redis command the session store sends (the expiry sweep's too), and only those, over the store's own pipelined
 * connections
 * ({@link SessionConnections}) and each inside the {@link RedisCalls} guard. Blocking: called from servlet worker
 * threads.
 */
@Singleton
public class RedisSessionStore {

    @Inject
    RedisSessionConfig config;
    @Inject
    SessionRedis sessionRedis;
    @Inject
    SessionMetrics metrics;

    /**
     * Cluster replies that mean a command did not run and will once the client routes it to the right node. Not
     * {@code CLUSTERDOWN}: its slot (or the cluster) has no master, which may last (see {@link #CLUSTER_DOWN_GRACE}).
     */
    private static final List<String> REDIRECTIONS = List.of("MOVED", "ASK", "TRYAGAIN");
    /**
     * How long {@code CLUSTERDOWN The cluster is down} is sent again: a cluster that requires full coverage answers it
     * on every node from the moment a master is marked failed until its replica is promoted (about a second), which
     * this rides out; a master lost for good makes it last, and then the request gets its 503 after this, not after
     * the deadline. {@code CLUSTERDOWN Hash slot not served} (one slot lost, no full coverage) is answered at once.
     */
    private static final Duration CLUSTER_DOWN_GRACE = Duration.ofMillis(1500);
    /** The {@code CLUSTERDOWN} of a cluster that requires full coverage and lacks a slot: every node answers it. */
    private static final String WHOLE_CLUSTER_DOWN = "CLUSTERDOWN The cluster is down";
    private static final Duration REDIRECT_BACKOFF = Duration.ofMillis(50);
    private static final Duration REDIRECT_BACKOFF_MAX = Duration.ofMillis(500);

    private SessionConnections redis;
    private RedisCalls calls;

    @PostConstruct
    void init() {
        redis = sessionRedis.isCluster()
                ? new ClusterConnections(sessionRedis.client(), sessionRedis::clientStartingWith, config.connections(),
                        config.timeout())
                : new StandaloneConnections(sessionRedis.clientStartingWith(0), config.connections(),
                        config.timeout());
        calls = new RedisCalls(config.timeout(), sessionRedis.address(), true, metrics);
    }

    @PreDestroy
    void close() {
        redis.close();
    }

    /**
     * {@code GETEX key PX ttl}: reads the session and slides its expiry in one command.
     *
     * @throws CorruptSessionException when the key holds another type than a string
     */
    public byte[] load(String key, long ttlMillis) {
        return get(Request.cmd(Command.GETEX).arg(key).arg("PX").arg(ttlMillis), "GETEX", key);
    }

    /**
     * {@code GET key}: reads the session of a passive request, leaving its expiry as it was.
     *
     * @throws CorruptSessionException when the key holds another type than a string
     */
    public byte[] peek(String key) {
        return get(Request.cmd(Command.GET).arg(key), "GET", key);
    }

    private byte[] get(Request read, String command, String key) {
        Uni<Response> loaded = followRedirections(redis.send(read))
                .onFailure(failure -> RedisCalls.isError(failure, "WRONGTYPE"))
                .transform(failure -> new CorruptSessionException("it is not a string"));
        Response response = calls.await(loaded, command, key, Effect.READ,
                failure -> failure instanceof CorruptSessionException);
        return response == null ? null : response.toBytes();
    }

    /** {@code SET key 1 NX PX ttl}: whether the caller took the turn {@code key} stands for (nobody held it). */
    public boolean takeTurn(String key, long ttlMillis) {
        return send(Request.cmd(Command.SET).arg(key).arg("1").arg("NX").arg("PX").arg(ttlMillis), key,
                Effect.WRITE) != null;
    }

    /** {@code PEXPIRE key ttl}, for the rare session whose own timeouts differ from the defaults {@link #load} used. */
    public void expire(String key, long ttlMillis) {
        send(Request.cmd(Command.PEXPIRE).arg(key).arg(ttlMillis), key, Effect.READ);
    }

    /**
     * Stores a new session unless its key exists or the tenant's purge fence is newer than {@code createdAtMillis}:
     * one {@code EVALSHA} of {@code create-session.lua} ({@code SET key value PX ttl NX} behind a check of the fence,
     * and the session's entry in the expiry index).
     *
     * @return {@link WriteResult#WRITTEN}, {@link WriteResult#TAKEN} or {@link WriteResult#PURGED}
     */
    public WriteResult create(String key, String fenceKey, Indexed indexed, long createdAtMillis, byte[] value,
            long ttlMillis) {
        Written written = eval(LuaScripts.CREATE_SESSION, key, value,
                List.of(key, fenceKey, indexed.index(), indexed.users()),
                List.of(value, ttlMillis, createdAtMillis, indexed.member(), System.currentTimeMillis() + ttlMillis,
                        indexed.userIdOrEmpty()));
        if (written == null) {
            return WriteResult.WRITTEN;
        }
        WriteResult result = switch (written.reply().toInteger()) {
            case 1 -> WriteResult.WRITTEN;
            case -1 -> WriteResult.PURGED;
            default -> WriteResult.TAKEN;
        };
        if (result == WriteResult.WRITTEN) {
            requireAcks(LuaScripts.CREATE_SESSION.command(), key, written);
        }
        return result;
    }

    /**
     * {@code TIME}, for {@link RedisClock}: Redis's clock, with this replica's monotonic clock around the round trip.
     * Never on a request's path.
     */
    Uni<RedisTime> time() {
        return Uni.createFrom().deferred(() -> {
            long sent = System.nanoTime();
            return calls.guard(followRedirections(redis.send(Request.cmd(Command.TIME))), "TIME", null, Effect.READ)
                    .map(reply -> RedisTime.of(reply.get(0).toLong(), reply.get(1).toLong(), sent, System.nanoTime()));
        });
    }

    /**
     * Whether a failed creation may succeed at once under another id: on a cluster a new id lands in another slot,
     * likely served by another master, when its own slot's master is lost ({@code CLUSTERDOWN}, a node that refuses
     * connections) or was briefly unreachable. Not when the session was stored (its replicas lagged), nor for a
     * refusal that every node would give (e.g. {@code OOM}, {@code NOPERM}, {@code CLUSTERDOWN The cluster is down}
     * of a cluster that requires full coverage).
     */
    public boolean anotherSlotMayWork(SessionStoreUnavailableException failure) {
        return sessionRedis.isCluster() && failure.isTransient() && !(failure instanceof RedisCalls.ReplicaAckException)
                && !isWholeClusterDown(failure.getCause());
    }

    /**
     * Ends a session: its key and its expiry index entry deleted in one {@code EVALSHA} of {@code end-session.lua}.
     *
     * @return {@link Ended#ENDED} when the key existed (this call ended it), {@link Ended#EXPIRED} when it was gone
     *         but not yet announced by the expiry sweep (the caller announces the expiry), {@link Ended#NOTHING}
     */
    public Ended end(String key, Indexed indexed) {
        Written ended = calls.await(LuaScripts.END_SESSION.run(request -> write(redis.channel(), request),
                List.of(key, indexed.index(), indexed.users()), List.of(indexed.member())),
                LuaScripts.END_SESSION.command(), key, Effect.WRITE);
        long reply = ended.reply().toLong();
        if (reply == 1) {
            requireAcks(LuaScripts.END_SESSION.command(), key, ended);
        }
        return reply == 1 ? Ended.ENDED : reply == -1 ? Ended.EXPIRED : Ended.NOTHING;
    }

    /** What {@link #end} found. */
    public enum Ended {
        ENDED,
        EXPIRED,
        NOTHING
    }

    /**
     * One batch of the expiry sweep over {@code index}: at most {@code limit} members whose deadline is before
     * {@code nowMillis}, in one {@code EVALSHA} of {@code sweep-expired.lua}.
     *
     * @return how many members were due ({@code limit}: call again), and those whose session is gone, each removed
     *         from the index by this call, with its user id
     */
    public Swept sweep(String index, String users, String keyPrefix, long nowMillis, int limit) {
        Response reply = calls.await(followRedirections(LuaScripts.SWEEP_EXPIRED.run(redis::send,
                List.of(index, users), List.of(nowMillis, (long) limit, keyPrefix))),
                LuaScripts.SWEEP_EXPIRED.command(), index, Effect.WRITE);
        List<Expired> expired = new java.util.ArrayList<>(reply.size() / 2);
        for (int i = 1; i + 1 < reply.size(); i += 2) {
            String userId = reply.get(i + 1).toString();
            expired.add(new Expired(reply.get(i).toString(), userId.isEmpty() ? null : userId));
        }
        return new Swept(reply.get(0).toInteger(), expired);
    }

    /** One sweep batch: how many members were due, and those whose session is gone. */
    public record Swept(int due, List<Expired> expired) {
    }

    /** A member of an expiry index whose session is gone, and its {@code user_id} ({@code null} for none). */
    public record Expired(String member, String userId) {
    }

    /**
     * A session's entry in the expiry index: the index and its user ids (in the session's slot), its member, and the
     * {@code user_id} to keep for its end ({@code null} for none).
     */
    public record Indexed(String index, String users, String member, String userId) {
        String userIdOrEmpty() {
            return userId == null ? "" : userId;
        }
    }

    /**
     * Replaces the session at {@code key} by {@code value} (moving it to {@code newKey}, unless the tenant's purge
     * fence is newer than {@code createdAtMillis}) if it still holds the value whose SHA-1 is
     * {@code expectedSha1}, and moves its expiry index entry from {@code oldMember} to {@code indexed}: one
     * {@code EVALSHA} of {@code write-session.lua}.
     */
    public WriteResult write(String key, String newKey, String fenceKey, String oldMember, Indexed indexed,
            long createdAtMillis, String expectedSha1, byte[] value, long ttlMillis) {
        Written written = eval(LuaScripts.WRITE_SESSION, newKey, value,
                List.of(key, newKey, fenceKey, indexed.index(), indexed.users()),
                List.of(expectedSha1, value, ttlMillis, createdAtMillis, oldMember, indexed.member(),
                        System.currentTimeMillis() + ttlMillis, indexed.userIdOrEmpty()));
        if (written == null) {
            return WriteResult.WRITTEN;
        }
        Response response = written.reply();
        if (response.type() != ResponseType.NUMBER) {
            return WriteResult.conflict(response.toBytes());
        }
        WriteResult result = switch (response.toInteger()) {
            case 1 -> WriteResult.WRITTEN;
            case -1 -> WriteResult.PURGED;
            default -> WriteResult.GONE;
        };
        if (result == WriteResult.GONE) {
            return result;
        }
        if (result == WriteResult.WRITTEN && !key.equals(newKey)) {
            // A rotation is answered even so (and logged): the session now lives under the new id only, which the
            // client must learn, or the session would be lost for it at once rather than maybe on a failover.
            if (written.acks() < config.replicaAcks()) {
                calls.replicasBehind(LuaScripts.WRITE_SESSION.command(), key, written.acks(), config.replicaAcks(),
                        config.replicaAckTimeout());
            }
        } else {
            requireAcks(LuaScripts.WRITE_SESSION.command(), key, written);
        }
        return result;
    }

    /**
     * Sends a write; with {@code replica-acks}, {@code WAIT replica-acks replica-ack-timeout} follows it in one pipeline
     * on the same connection (on a cluster, to the master of the write's key, where {@code WAIT} must run), so waiting
     * for the replicas costs no extra round trip.
     */
    private Uni<Written> write(Channel channel, Request write) {
        int wanted = config.replicaAcks();
        if (wanted == 0) {
            return followRedirections(channel.send(write)).map(reply -> new Written(reply, 0));
        }
        Request wait = Request.cmd(Command.WAIT).arg(wanted).arg(config.replicaAckTimeout().toMillis());
        return followRedirections(channel.batch(List.of(write, wait)))
                .map(replies -> new Written(replies.get(0), replies.get(1).toLong()));
    }

    /**
     * A redirection the client reports instead of following (always for a pipeline; for a script while a slot moves,
     * when its retries ran out) means the command did not run: send it again once the client's slot map (refreshed
     * every second) names the key's new master. The caller's deadline bounds this.
     */
    private <T> Uni<T> followRedirections(Uni<T> command) {
        if (!sessionRedis.isCluster()) {
            return command;
        }
        return Uni.createFrom().deferred(() -> {
            long graceEnds = System.nanoTime() + CLUSTER_DOWN_GRACE.toNanos();
            return command.onFailure(failure -> redirected(failure) || isWholeClusterDown(failure)
                    && System.nanoTime() - graceEnds < 0).retry()
                    .withBackOff(REDIRECT_BACKOFF, REDIRECT_BACKOFF_MAX).atMost(Long.MAX_VALUE);
        });
    }

    private static boolean isWholeClusterDown(Throwable failure) {
        return failure != null && String.valueOf(failure.getMessage()).contains(WHOLE_CLUSTER_DOWN);
    }

    private static boolean redirected(Throwable failure) {
        return REDIRECTIONS.stream().anyMatch(code -> RedisCalls.isError(failure, code));
    }

    /** A write that changed the session must have reached {@code replica-acks} replicas. */
    private void requireAcks(String command, String key, Written written) {
        if (written.acks() < config.replicaAcks()) {
            throw calls.replicasBehind(command, key, written.acks(), config.replicaAcks(),
                    config.replicaAckTimeout());
        }
    }

    /** A write's reply, and how many replicas acknowledged it (0 without {@code replica-acks}). */
    private record Written(Response reply, long acks) {
    }

    /**
     * One {@code EVALSHA} of a script that may write {@code value} to {@code writtenKey} (with {@code replica-acks},
     * followed by its {@code WAIT}); when its answer does not come in time, whether it landed decides.
     *
     * @return the script's answer, or {@code null} when it went unanswered but the key is found to hold {@code value}
     *         (its replicas' acknowledgements are then unknown)
     */
    private Written eval(LuaScripts script, String writtenKey, byte[] value, List<String> keys, List<Object> args) {
        Channel channel = redis.channel();
        Uni<Written> sent = script.run(request -> write(channel, request), keys, args);
        try {
            return calls.await(sent, script.command(), keys.get(0), Effect.WRITE);
        } catch (OutcomeUnknownException e) {
            if (landed(channel, writtenKey, value, e)) {
                return null;
            }
            throw calls.notApplied(script.command(), e);
        }
    }

    /**
     * After a write went unanswered: whether {@code key} now holds exactly {@code value}. The check follows the write
     * on the same connection, and Redis answers a connection in order, so it sees the write if Redis ran it; a
     * session rotated by the write is then known to be under its new id, and the client can be given that id.
     *
     * @return whether it holds it; {@code false} means the write was not applied
     * @throws OutcomeUnknownException {@code unknown} again when the check gets no answer either
     */
    private boolean landed(Channel channel, String key, byte[] value, OutcomeUnknownException unknown) {
        Response now;
        try {
            now = calls.await(channel.send(Request.cmd(Command.GET).arg(key)), "GET", key, Effect.READ);
        } catch (SessionStoreUnavailableException e) {
            throw unknown;
        }
        return now != null && java.util.Arrays.equals(now.toBytes(), value);
    }

    private Response send(Request request, String key, Effect effect) {
        return calls.await(followRedirections(redis.send(request)), request.command().toString(), key, effect);
    }

    /** What {@link #write} or {@link #create} found. */
    public record WriteResult(Outcome outcome, byte[] current) {
        public static final WriteResult WRITTEN = new WriteResult(Outcome.WRITTEN, null);
        public static final WriteResult TAKEN = new WriteResult(Outcome.TAKEN, null);
        public static final WriteResult GONE = new WriteResult(Outcome.GONE, null);
        public static final WriteResult PURGED = new WriteResult(Outcome.PURGED, null);

        static WriteResult conflict(byte[] current) {
            return new WriteResult(Outcome.CONFLICT, current);
        }
    }

    public enum Outcome {
        WRITTEN,
        GONE,
        /** The rotation found a purge of the tenant newer than the session: the session is deleted. */
        PURGED,
        CONFLICT,
        /** A new session's id is already in use: nothing written. */
        TAKEN
    }
}
