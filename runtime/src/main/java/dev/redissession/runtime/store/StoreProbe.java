package dev.redissession.runtime.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.redissession.SessionStoreUnavailableException;
import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.failure.FailureKind;
import dev.redissession.runtime.keys.ClusterSlotMap;
import dev.redissession.runtime.keys.SessionIds;
import dev.redissession.runtime.keys.SessionKeys;
import dev.redissession.runtime.metrics.SessionMetrics;
import dev.redissession.runtime.store.RedisCalls.Effect;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * Whether the session store can serve requests now (the readiness check's Redis side): every master the session client
 * uses answers, and lets the store run each command it needs, tried on the keys of a session that does not exist (a
 * fresh random id and its purge fence), so the probe writes nothing. That makes an ACL that refuses a command or a key
 * visible before the first request fails on it.
 * <p>
 * It uses a connection of the client's pool for one probe, not the store's own connections, and runs one probe at a
 * time (callers meanwhile share it), so however often it is asked it holds at most one pooled connection per node;
 * callers wait for it at most {@code quarkus.redis-session.health.timeout}.
 */
@Singleton
public class StoreProbe {

    private static final Logger LOG = Logger.getLogger(StoreProbe.class);
    /** The TTL the probe's commands name; they never create a key, so it never applies. */
    private static final long PROBE_TTL_MILLIS = 1000;
    private static final byte[] NO_VALUE = new byte[0];
    /** The command Redis names in a NOPERM answer, e.g. {@code 'evalsha'}. */
    private static final Pattern REFUSED_COMMAND = Pattern.compile("'([a-z|]+)' command");
    static final String UP = "UP";

    @Inject
    RedisSessionConfig config;
    @Inject
    SessionRedis sessionRedis;
    @Inject
    SessionClientName clientName;

    private RedisCalls calls;
    private SessionKeys keys;
    private String tenant;
    private String topology;
    private final AtomicReference<CompletableFuture<Report>> inFlight = new AtomicReference<>();
    /** The last reason for DOWN, so a lasting problem is logged once, not at every probe. */
    private final AtomicReference<String> lastReason = new AtomicReference<>();

    @PostConstruct
    void init() {
        calls = new RedisCalls(config.health().timeout(), sessionRedis.address(), false, SessionMetrics.NONE);
        keys = new SessionKeys(config.keyPrefix(), sessionRedis.isCluster());
        // A session key of a tenant the application serves, so an ACL limited to some tenants is probed like it.
        tenant = config.tenant().defaultTenant();
        topology = sessionRedis.isCluster() ? "cluster"
                : SessionRedis.clientProperty(clientName.name(), "client-type").map(String::toLowerCase)
                        .orElse("standalone");
    }

    /**
     * The state of the store: UP, or DOWN with the reason. Never fails; ends within
     * {@code quarkus.redis-session.health.timeout}.
     */
    public Uni<Report> probe() {
        // A copy of the stage: a caller that stops waiting must not cancel the probe the others wait for.
        return calls.guard(Uni.createFrom().completionStage(() -> running().minimalCompletionStage()), "health probe",
                null, Effect.READ)
                .onFailure().recoverWithItem(failure -> down(describe(failure)))
                .invoke(this::logChange);
    }

    /**
     * The probe in flight, or a new one. It is never cancelled: it runs until Redis answered (or the connection
     * failed) and then returns its connection to the pool, also when every caller has stopped waiting. A connection
     * given up half-way would stay leased, and a hung Redis, asked every few seconds, would drain the pool the
     * session connections reconnect from. One at a time, so a hung Redis holds one pooled connection (per node).
     */
    private CompletableFuture<Report> running() {
        while (true) {
            CompletableFuture<Report> running = inFlight.get();
            if (running != null) {
                return running;
            }
            CompletableFuture<Report> fresh = new CompletableFuture<>();
            if (inFlight.compareAndSet(null, fresh)) {
                fresh.whenComplete((report, failure) -> inFlight.compareAndSet(fresh, null));
                run().subscribe().with(fresh::complete, fresh::completeExceptionally);
                return fresh;
            }
        }
    }

    private Uni<Report> run() {
        return sessionRedis.client().connect().chain(connection -> masters(connection)
                .chain(masters -> Uni.join().all(masters.stream().map(master -> probe(connection, master)).toList())
                        .andFailFast().map(results -> report(masters, results)))
                .eventually(connection::close));
    }

    /** One master and a slot it serves ({@code -1} for a server that is not a cluster node). */
    private record Master(String address, int slot) {
    }

    private Uni<List<Master>> masters(RedisConnection connection) {
        if (!sessionRedis.isCluster()) {
            String address = sessionRedis.address();
            return Uni.createFrom().item(List.of(new Master("sentinel".equals(topology) ? "master via " + address
                    : address, -1)));
        }
        // A keyless command goes to any node; they all know every master's slots.
        return connection.send(Request.cmd(Command.CLUSTER).arg("SLOTS")).map(reply -> {
            ClusterSlotMap slots = ClusterSlotMap.of(reply);
            if (!slots.servesAll()) {
                throw new WrongTopologyException(slots.coverage() + ", so sessions in the others cannot be stored");
            }
            return slots.masters().stream().map(master -> new Master(master.address(), master.firstSlot())).toList();
        });
    }

    /**
     * Every command of the store, pipelined to the master on a key in its slot, of a session that does not exist:
     * {@code GETEX}, {@code SET ... XX}, {@code PEXPIRE}, {@code DEL}, {@code GET} find no key and change nothing, and
     * the write script finds no session and returns. Its first problem, or {@link #UP}.
     */
    private Uni<String> probe(RedisConnection connection, Master master) {
        String id = master.slot() < 0 ? SessionIds.generate()
                : SessionIds.generateInSlot(master.slot(), keys.key(tenant, ""));
        String key = keys.key(tenant, id);
        String fence = keys.purgeFenceOf(tenant, key);
        List<Uni<String>> checks = List.of(
                check(connection, "GETEX", Request.cmd(Command.GETEX).arg(key).arg("PX").arg(PROBE_TTL_MILLIS), key),
                check(connection, "SET", Request.cmd(Command.SET).arg(key).arg(NO_VALUE).arg("PX")
                        .arg(PROBE_TTL_MILLIS).arg("XX"), key),
                check(connection, "PEXPIRE", Request.cmd(Command.PEXPIRE).arg(key).arg(PROBE_TTL_MILLIS), key),
                check(connection, "DEL", Request.cmd(Command.DEL).arg(key), key),
                check(connection, "GET", Request.cmd(Command.GET).arg(key), key),
                // The session key itself passed the commands above: a key refused here is the fence.
                // The create script needs nothing more (the same keys, EVALSHA/EVAL, GET and SET) and would write.
                problem(LuaScripts.WRITE_SESSION.run(connection::send, List.of(key, key, fence),
                        List.of("", NO_VALUE, PROBE_TTL_MILLIS, 0L)), "EVALSHA",
                        "the purge fence key " + fence + ", which the session scripts declare"));
        return Uni.join().all(checks).andFailFast()
                .map(problems -> problems.stream().filter(Objects::nonNull).findFirst().orElse(UP));
    }

    private static Uni<String> check(RedisConnection connection, String command, Request request, String key) {
        return problem(connection.send(request), command, "session keys such as " + SessionKeys.redact(key));
    }

    /** {@code null} when Redis ran the command; what is wrong when it answered an error; other failures pass. */
    private static Uni<String> problem(Uni<Response> reply, String command, String keys) {
        return reply.map(ignored -> (String) null)
                .onFailure(ErrorType.class).recoverWithItem(error -> refused(command, (ErrorType) error, keys));
    }

    private static String refused(String command, ErrorType error, String keys) {
        String answer = error.getMessage();
        if (error.is("NOPERM")) {
            if (answer.contains("key")) {
                return "NOPERM: the Redis user may not access " + keys + " (" + command + "; Redis answered: " + answer
                        + ")";
            }
            Matcher refused = REFUSED_COMMAND.matcher(answer);
            String name = refused.find() ? refused.group(1).toUpperCase() : command;
            return "NOPERM: the Redis user may not run " + name + " (Redis answered: " + answer + "); the session "
                    + "store needs GETEX, SET, PEXPIRE, DEL, GET, EVALSHA and EVAL";
        }
        if (error.is("MOVED") || error.is("ASK")) {
            return FailureKind.WRONG_TOPOLOGY.reason("Redis is a cluster node (it answered " + command + " with "
                    + answer + "), but the session client is not configured with client-type=cluster");
        }
        if (error.is("READONLY")) {
            return FailureKind.WRONG_TOPOLOGY.reason("Redis is a replica (it answered " + command + " with " + answer
                    + "); the session client must use the master (with Sentinel: quarkus.redis.role=master)");
        }
        return command + " failed: Redis answered " + answer;
    }

    private Report report(List<Master> masters, List<String> results) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("topology", topology);
        String reason = null;
        for (int i = 0; i < masters.size(); i++) {
            String result = results.get(i);
            data.put(masters.get(i).address(), result);
            if (reason == null && !UP.equals(result)) {
                reason = masters.get(i).address() + ": " + result;
            }
        }
        if (reason != null) {
            data.put("reason", reason);
        }
        return new Report(reason == null, data);
    }

    private Report down(String reason) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("topology", topology);
        data.put("reason", reason);
        return new Report(false, data);
    }

    /** Why the probe as a whole failed: no connection, no answer in time, or a topology the client does not fit. */
    private String describe(Throwable failure) {
        Throwable cause = failure instanceof SessionStoreUnavailableException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        String message = String.valueOf(cause.getMessage()).replace("\n", " ");
        if (cause instanceof WrongTopologyException) {
            return FailureKind.WRONG_TOPOLOGY.reason(message);
        }
        if (message.contains("cluster support disabled")) {
            return FailureKind.WRONG_TOPOLOGY.reason("Redis is not a cluster, but the session client is configured "
                    + "with client-type=cluster (" + message + ")");
        }
        return FailureKind.STORE_UNAVAILABLE.reason(sessionRedis.address() + ": " + message);
    }

    private void logChange(Report report) {
        String reason = report.up() ? null : report.data().get("reason");
        String previous = lastReason.getAndSet(reason);
        if (reason != null && !reason.equals(previous)) {
            LOG.warnf("Redis session store is not ready: %s", reason);
        } else if (reason == null && previous != null) {
            LOG.infof("Redis session store is ready again (was: %s)", previous);
        }
    }

    /**
     * @param up whether every master answered and allowed every command
     * @param data {@code topology}, each master's address with {@link #UP} or its problem, and {@code reason} when
     *        down
     */
    public record Report(boolean up, Map<String, String> data) {
    }

    /** The cluster's slots do not fit the store (not all served). */
    static final class WrongTopologyException extends RuntimeException {
        WrongTopologyException(String message) {
            super(message);
        }
    }
}
