package dev.redissession.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.redissession.SessionStoreUnavailableException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * Every Redis command the session store sends, and only those. Blocking: called from servlet worker threads.
 */
@Singleton
public class RedisSessionStore {

    private static final Logger LOG = Logger.getLogger(RedisSessionStore.class);

    @Inject
    RedisSessionConfig config;
    @Inject
    SessionRedis sessionRedis;

    private Redis redis;
    private String address;
    private String writeScript;
    private String writeScriptSha;

    @PostConstruct
    void init() {
        redis = sessionRedis.client();
        address = sessionRedis.address();
        writeScript = resource("write-session.lua");
        writeScriptSha = sha1Hex(writeScript.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code GETEX key PX ttl}: reads the session and slides its expiry in one command.
     *
     * @throws CorruptSessionException when the key holds another type than a string
     */
    byte[] load(String key, long ttlMillis) {
        Uni<Response> loaded = redis.send(Request.cmd(Command.GETEX).arg(key).arg("PX").arg(ttlMillis))
                .onFailure(failure -> failure instanceof ErrorType error && error.is("WRONGTYPE"))
                .transform(failure -> new CorruptSessionException("it is not a string"));
        Response response = await(loaded, Command.GETEX, key);
        return response == null ? null : response.toBytes();
    }

    /** {@code PEXPIRE key ttl}, for the rare session whose own timeouts differ from the defaults {@link #load} used. */
    void expire(String key, long ttlMillis) {
        send(Request.cmd(Command.PEXPIRE).arg(key).arg(ttlMillis), key);
    }

    /** {@code SET key value PX ttl NX}: stores a new session. */
    boolean create(String key, byte[] value, long ttlMillis) {
        Response response = send(Request.cmd(Command.SET).arg(key).arg(value).arg("PX").arg(ttlMillis).arg("NX"), key);
        return response != null;
    }

    /** {@code DEL key}. */
    void delete(String key) {
        send(Request.cmd(Command.DEL).arg(key), key);
    }

    /**
     * Replaces the session at {@code key} by {@code value} (moving it to {@code newKey}, unless the tenant's purge
     * fence is newer than {@code createdAtMillis}) if it still holds the value whose SHA-1 is
     * {@code expectedSha1}: one {@code EVALSHA} of {@code write-session.lua}.
     */
    WriteResult write(String key, String newKey, String fenceKey, long createdAtMillis, String expectedSha1,
            byte[] value, long ttlMillis) {
        Request evalsha = script(Command.EVALSHA, writeScriptSha, key, newKey, fenceKey, expectedSha1, value,
                ttlMillis, createdAtMillis);
        // EVAL only when the server lacks the script (first use, or it restarted): it loads it into the cache.
        Uni<Response> written = redis.send(evalsha)
                .onFailure(failure -> String.valueOf(failure.getMessage()).startsWith("NOSCRIPT"))
                .recoverWithUni(() -> redis.send(script(Command.EVAL, writeScript, key, newKey, fenceKey,
                        expectedSha1, value, ttlMillis, createdAtMillis)));
        Response response = await(written, Command.EVALSHA, key);
        if (response.type() == ResponseType.NUMBER) {
            return switch (response.toInteger()) {
                case 1 -> WriteResult.WRITTEN;
                case -1 -> WriteResult.PURGED;
                default -> WriteResult.GONE;
            };
        }
        return WriteResult.conflict(response.toBytes());
    }

    private static Request script(Command command, String script, String key, String newKey, String fenceKey,
            String expectedSha1, byte[] value, long ttlMillis, long createdAtMillis) {
        return Request.cmd(command).arg(script).arg(3).arg(key).arg(newKey).arg(fenceKey).arg(expectedSha1)
                .arg(value).arg(ttlMillis).arg(createdAtMillis);
    }

    private Response send(Request request, String key) {
        return await(redis.send(request), request.command(), key);
    }

    private Response await(Uni<Response> response, Command command, String key) {
        return response.onFailure(failure -> !(failure instanceof CorruptSessionException))
                .transform(failure -> unavailable(command, key, failure))
                .ifNoItem().after(config.timeout())
                .failWith(() -> unavailable(command, key,
                        new TimeoutIOException("no answer within " + config.timeout().toMillis() + " ms")))
                .await().indefinitely();
    }

    private SessionStoreUnavailableException unavailable(Command command, String key, Throwable failure) {
        String name = command.toString().toUpperCase();
        LOG.errorf("Redis session store at %s failed %s on %s: %s", address, name, SessionKeys.redact(key),
                failure.getMessage());
        // The client learns what went wrong, not where Redis runs: the address is in the log line only.
        boolean refused = failure instanceof ErrorType;
        return new SessionStoreUnavailableException("The session store is unavailable (" + name + ": "
                + reason(failure) + "). Your session is kept" + (refused ? "." : "; retry in a moment."), failure,
                !refused);
    }

    private static String reason(Throwable failure) {
        if (failure instanceof ErrorType redisError) {
            return "Redis answered " + redisError.getMessage();
        }
        if (failure instanceof ConnectException) {
            return "Redis refused the connection";
        }
        return failure instanceof TimeoutIOException ? failure.getMessage() : "the connection to Redis failed";
    }

    /** No answer within {@code quarkus.redis-session.timeout}. */
    private static final class TimeoutIOException extends IOException {
        TimeoutIOException(String message) {
            super(message);
        }
    }

    /** SHA-1 in lowercase hex, as Lua's {@code redis.sha1hex} gives it. */
    static String sha1Hex(byte[] bytes) {
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
    record WriteResult(Outcome outcome, byte[] current) {
        static final WriteResult WRITTEN = new WriteResult(Outcome.WRITTEN, null);
        static final WriteResult GONE = new WriteResult(Outcome.GONE, null);
        static final WriteResult PURGED = new WriteResult(Outcome.PURGED, null);

        static WriteResult conflict(byte[] current) {
            return new WriteResult(Outcome.CONFLICT, current);
        }
    }

    enum Outcome {
        WRITTEN,
        GONE,
        /** The rotation found a purge of the tenant newer than the session: the session is deleted. */
        PURGED,
        CONFLICT
    }
}
