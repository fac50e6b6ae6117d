package dev.redissession.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.redissession.SessionStoreUnavailableException;
import dev.redissession.runtime.codec.CorruptSessionException;
import dev.redissession.runtime.config.RedisSessionConfig;
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

    /** Cluster replies that mean a command did not run and will once the client routes it to the right node. */
    private static final List<String> REDIRECTIONS = List.of("MOVED", "ASK", "TRYAGAIN", "CLUSTERDOWN");
    private static final Duration REDIRECT_BACKOFF = Duration.ofMillis(50);
    private static final Duration REDIRECT_BACKOFF_MAX = Duration.ofMillis(500);

    private SessionConnections redis;
    private RedisCalls calls;
    private String writeScript;
    private String writeScriptSha;

    @PostConstruct
    void init() {
        redis = new SessionConnections(sessionRedis.client(), sessionRedis.isCluster(), config.connections(),
                config.timeout());
        calls = new RedisCalls(config.timeout(), sessionRedis.address(), true);
        writeScript = resource("write-session.lua");
        writeScriptSha = sha1Hex(writeScript.getBytes(StandardCharsets.UTF_8));
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
        Uni<Response> loaded = redis.send(Request.cmd(Command.GETEX).arg(key).arg("PX").arg(ttlMillis))
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

    /** {@code SET key value PX ttl NX}: stores a new session. */
    public boolean create(String key, byte[] value, long ttlMillis) {
        Channel channel = redis.channel();
        Request set = Request.cmd(Command.SET).arg(key).arg(value).arg("PX").arg(ttlMillis).arg("NX");
        try {
            Written written = calls.await(write(channel, set), "SET", key, Effect.WRITE);
            if (written.reply() != null) {
                requireAcks("SET", key, written);
            }
            return written.reply() != null;
        } catch (OutcomeUnknownException e) {
            if (landed(channel, key, value, e)) {
                return true;
            }
            throw calls.notApplied("SET", e);
        }
    }

    /** {@code DEL key}. */
    public void delete(String key) {
        Written deleted = calls.await(write(redis.channel(), Request.cmd(Command.DEL).arg(key)), "DEL", key,
                Effect.WRITE);
        if (deleted.reply().toLong() > 0) {
            requireAcks("DEL", key, deleted);
        }
    }

    /**
     * Replaces the session at {@code key} by {@code value} (moving it to {@code newKey}, unless the tenant's purge
     * fence is newer than {@code createdAtMillis}) if it still holds the value whose SHA-1 is
     * {@code expectedSha1}: one {@code EVALSHA} of {@code write-session.lua}.
     */
    public WriteResult write(String key, String newKey, String fenceKey, long createdAtMillis, String expectedSha1,
            byte[] value, long ttlMillis) {
        Request evalsha = script(Command.EVALSHA, writeScriptSha, key, newKey, fenceKey, expectedSha1, value,
                ttlMillis, createdAtMillis);
        Channel channel = redis.channel();
        // EVAL only when the server lacks the script (first use, or it restarted): it loads it into the cache.
        Uni<Written> sent = write(channel, evalsha)
                .onFailure(failure -> RedisCalls.isError(failure, "NOSCRIPT"))
                .recoverWithUni(() -> write(channel, script(Command.EVAL, writeScript, key, newKey, fenceKey,
                        expectedSha1, value, ttlMillis, createdAtMillis)));
        Written written;
        try {
            written = calls.await(sent, "EVALSHA", key, Effect.WRITE);
        } catch (OutcomeUnknownException e) {
            if (landed(channel, newKey, value, e)) {
                return WriteResult.WRITTEN;
            }
            throw calls.notApplied("EVALSHA", e);
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
                calls.replicasBehind("EVALSHA", key, written.acks(), config.replicaAcks(),
                        config.replicaAckTimeout());
            }
        } else {
            requireAcks("EVALSHA", key, written);
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
            return channel.send(write).map(reply -> new Written(reply, 0));
        }
        Request wait = Request.cmd(Command.WAIT).arg(wanted).arg(config.replicaAckTimeout().toMillis());
        return channel.batch(List.of(write, wait))
                // The client reports a pipeline's redirections instead of following them (nothing ran): send it again
                // once its slot map (refreshed every second) names the key's new master; the deadline bounds this.
                .onFailure(RedisSessionStore::redirected).retry().withBackOff(REDIRECT_BACKOFF, REDIRECT_BACKOFF_MAX)
                .atMost(Long.MAX_VALUE)
                .map(replies -> new Written(replies.get(0), replies.get(1).toLong()));
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

    private static Request script(Command command, String script, String key, String newKey, String fenceKey,
            String expectedSha1, byte[] value, long ttlMillis, long createdAtMillis) {
        return Request.cmd(command).arg(script).arg(3).arg(key).arg(newKey).arg(fenceKey).arg(expectedSha1)
                .arg(value).arg(ttlMillis).arg(createdAtMillis);
    }

    private Response send(Request request, String key, Effect effect) {
        return calls.await(redis.send(request), request.command().toString(), key, effect);
    }

    /** SHA-1 in lowercase hex, as Lua's {@code redis.sha1hex} gives it. */
    public static String sha1Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = RedisSessionStore.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("Missing resource " + name, e);
        }
    }

    /** What {@link #write} found. */
    public record WriteResult(Outcome outcome, byte[] current) {
        public static final WriteResult WRITTEN = new WriteResult(Outcome.WRITTEN, null);
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
        CONFLICT
    }
}
