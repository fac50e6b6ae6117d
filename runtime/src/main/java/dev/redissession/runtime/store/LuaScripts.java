package dev.redissession.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import dev.redissession.runtime.codec.Sha1;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Every Lua script the runtime runs, each a resource next to this class, sent by its SHA-1 ({@code EVALSHA}) or, once
 * per server, in full ({@code EVAL}); the native image registers the resources of this list.
 */
public enum LuaScripts {

    /** The compare-and-set write of a changed session, which also moves it to a rotated id. */
    WRITE_SESSION,
    /** A new session's {@code SET NX}, behind a check of the tenant's purge fence. */
    CREATE_SESSION,
    /** A session's key and its expiry index entry deleted together (a logout, or one found expired). */
    END_SESSION,
    /** One batch of the expiry sweep over one expiry index. */
    SWEEP_EXPIRED,
    // The purge's writes are scripts flagged allow-oom: a Redis at maxmemory refuses plain writes (see PurgeJobState).
    PURGE_TAKE_LOCK,
    PURGE_RENEW_LOCK,
    PURGE_DELETE_IF_VALUE,
    PURGE_SET_FENCE,
    PURGE_SAVE_JOB,
    PURGE_REQUEST_CANCEL,
    /** A page's session keys of one slot deleted, answering which existed (the purge announces those ends). */
    PURGE_UNLINK;

    /** {@code write-session} for {@code WRITE_SESSION}: how the resource and the log name the script. */
    private final String scriptName = name().toLowerCase(Locale.ROOT).replace('_', '-');
    private final String text = load(fileName());
    private final String sha = Sha1.hex(text.getBytes(StandardCharsets.UTF_8));

    private String fileName() {
        return scriptName + ".lua";
    }

    private static String load(String fileName) {
        try (InputStream in = LuaScripts.class.getResourceAsStream(fileName)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + fileName + ": every script of LuaScripts must "
                        + "sit next to that class, under src/main/resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read resource " + fileName, e);
        }
    }

    /** The script's path on the class path, e.g. for the native image's resources. */
    public String resourcePath() {
        return LuaScripts.class.getPackageName().replace('.', '/') + "/" + fileName();
    }

    /** The script's source. */
    public String text() {
        return text;
    }

    /** How failures name it: each script's failures are logged (and rate-limited) on their own. */
    public String command() {
        return "EVALSHA " + scriptName;
    }

    /**
     * {@code EVALSHA}, and {@code EVAL} only when the server lacks the script (first use, or it restarted): that
     * loads it into the cache. The readiness probe runs it the same way.
     *
     * @param args {@code byte[]}, {@code Long} or {@code String} values
     */
    public <T> Uni<T> run(Function<Request, Uni<T>> send, List<String> keys, List<Object> args) {
        return runWith(call -> send.apply(call.apply(keys)), args);
    }

    /**
     * Sends what {@code send} builds from calls of the script (a call per list of keys, each with {@code args}),
     * possibly in a pipeline with other commands: with {@code EVALSHA}, and again with {@code EVAL} when the server
     * lacks the script. Only for pipelines whose other commands may run twice.
     */
    public <T> Uni<T> runWith(Function<Function<List<String>, Request>, Uni<T>> send, List<Object> args) {
        return loadingOnNoScript(command -> send.apply(keys -> request(command, keys, args)));
    }

    /**
     * One pipeline of calls, one per key of {@code keyOfEach}, each with the same {@code args}; {@code EVAL} for all of
     * them when the server lacks the script (a pipeline goes to one server, whose cache holds it or not). For scripts
     * that may run twice, such as setting a fence.
     */
    public Uni<List<Response>> runEach(Function<List<Request>, Uni<List<Response>>> batch, List<String> keyOfEach,
            List<Object> args) {
        return runWith(call -> batch.apply(keyOfEach.stream().map(key -> call.apply(List.of(key))).toList()), args);
    }

    private static <T> Uni<T> loadingOnNoScript(Function<Command, Uni<T>> send) {
        return send.apply(Command.EVALSHA)
                .onFailure(failure -> RedisCalls.isError(failure, "NOSCRIPT"))
                .recoverWithUni(() -> send.apply(Command.EVAL));
    }

    private Request request(Command command, List<String> keys, List<Object> args) {
        Request request = Request.cmd(command).arg(command == Command.EVAL ? text : sha).arg(keys.size());
        keys.forEach(request::arg);
        for (Object arg : args) {
            if (arg instanceof byte[] bytes) {
                request.arg(bytes);
            } else if (arg instanceof Long number) {
                request.arg(number);
            } else {
                request.arg((String) arg);
            }
        }
        return request;
    }
}
