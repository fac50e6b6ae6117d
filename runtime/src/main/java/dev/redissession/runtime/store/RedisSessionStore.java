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
 * Every Redis command the session store sends, and only those, over the store's own pipelined connections
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

    /** Cluster replies that mean a command did not run and will once the client routes it to the right node. */
    private static final List<String> REDIRECTIONS = List.of("MOVED", "ASK", "TRYAGAIN", "CLUSTERDOWN");
    private static final Duration REDIRECT_BACKOFF = Duration.ofMillis(50);
    private static final Duration REDIRECT_BACKOFF_MAX = Duration.ofMillis(500);

    private SessionConnections redis;
    private RedisCalls calls;

    @PostConstruct
    void init() {
        redis = sessionRedis.isCluster()
                ? new ClusterConnections(sessionRedis.client(), sessionRedis::clientStartingWith, config.connections(),
                        config.timeout())
                : new StandaloneConnections(sessionRedis.client(), config.connections(), config.timeout());
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
        Uni<Response> loaded = followRedirections(redis.send(Request.cmd(Command.GETEX).arg(key).arg("PX").arg(ttlMillis)))
                .onFailure(failure -> RedisCalls.isError(failure, "WRONGTYPE"))
                .transform(failure -> new CorruptSessionException("it is not a string"));
        Response response = calls.await(loaded, "GETEX", key, Effect.READ,
                failure -> failure instanceof CorruptSessionException);
        return response == null ? null : response.toBytes();
    }

    /** {@code PEXPIRE key ttl}, for the rare session whose own timeouts differ from the defaults {@link #load} used. */
    public void expire(String key, long ttlMillis) {
        send(Request.cmd(Command.PEXPIRE).arg(key).arg(ttlMillis), key, Effect.READ);
    }

    /**
     * Stores a new session unless its key exists or the tenant's purge fence is newer than {@code createdAtMillis}:
     * one {@code EVALSHA} of {@code create-session.lua} ({@code SET key value PX ttl NX} behind a check of the fence).
     *
     * @return {@link WriteResult#WRITTEN}, {@link WriteResult#TAKEN} or {@link WriteResult#PURGED}
     */
    public WriteResult create(String key, String fenceKey, long createdAtMillis, byte[] value, long ttlMillis) {
        Written written = eval(LuaScripts.CREATE_SESSION, key, value, List.of(key, fenceKey),
                List.of(value, ttlMillis, createdAtMillis));
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
     * {@code DEL key}.
     *
     * @return whether the key existed: only then did this call end the session (and may announce it)
     */
    public boolean delete(String key) {
        Written deleted = calls.await(write(redis.channel(), Request.cmd(Command.DEL).arg(key)), "DEL", key,
                Effect.WRITE);
        if (deleted.reply().toLong() > 0) {
            requireAcks("DEL", key, deleted);
            return true;
        }
        return false;
    }

    /**
     * Replaces the session at {@code key} by {@code value} (moving it to {@code newKey}, unless the tenant's purge
     * fence is newer than {@code createdAtMillis}) if it still holds the value whose SHA-1 is
     * {@code expectedSha1}: one {@code EVALSHA} of {@code write-session.lua}.
     */
    public WriteResult write(String key, String newKey, String fenceKey, long createdAtMillis, String expectedSha1,
            byte[] value, long ttlMillis) {
        Written written = eval(LuaScripts.WRITE_SESSION, newKey, value, List.of(key, newKey, fenceKey),
                List.of(expectedSha1, value, ttlMillis, createdAtMillis));
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
        return !sessionRedis.isCluster() ? command
                : command.onFailure(RedisSessionStore::redirected).retry()
                        .withBackOff(REDIRECT_BACKOFF, REDIRECT_BACKOFF_MAX).atMost(Long.MAX_VALUE);
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
