package dev.redissession.runtime.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.failure.FailureKind;
import dev.redissession.runtime.keys.ClusterSlotMap;
import dev.redissession.runtime.keys.SessionIds;
import dev.redissession.runtime.keys.SessionKeys;
import dev.redissession.runtime.store.RedisCalls.NoAnswerException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * Whether the session store can serve requests now (the health check's Redis side): each master the session client
 * uses is asked on its own whether it answers and lets the store run each command it needs, tried on the keys of a
 * session that does not exist (a fresh random id and its purge fence), so the probe writes nothing. That makes an ACL
 * that refuses a command or a key visible before the first request fails on it. The store is UP while at least one
 * master serves sessions: a master that is down or silent only takes its own sessions away, so it is named in the
 * data but does not take the replica out of service; it is DOWN when no master answers, or when Redis refuses the
 * store's commands (a setup error, the same on every master).
 * <p>
 * The probe has its own Vert.x clients with the session client's options, one per master (on a cluster, a
 * standalone client per node, found through {@code CLUSTER SLOTS} of any node that answers), not the store's
 * connections nor the client's pool. One probe runs at a time (callers meanwhile share it) and ends within
 * {@code quarkus.redis-session.health.timeout}: a master that has not answered by then is reported silent and its
 * client closed, sockets and all, so a black-holed connection is never asked again and at most one socket per master
 * is open.
 */
@Singleton
public class StoreProbe {

    private static final Logger LOG = Logger.getLogger(StoreProbe.class);
    /** The TTL the probe's commands name; they never create a key, so it never applies. */
    private static final long PROBE_TTL_MILLIS = 1000;
    private static final byte[] NO_VALUE = new byte[0];
    /** The command Redis names in a NOPERM answer, e.g. {@code 'evalsha'}. */
    private static final Pattern REFUSED_COMMAND = Pattern.compile("'([a-z|]+)' command");
    /** Where the master of a standalone server or Sentinel is reached: the session client's own configuration. */
    private static final String MASTER = "master";
    static final String UP = "UP";

    @Inject
    RedisSessionConfig config;
    @Inject
    SessionRedis sessionRedis;
    @Inject
    SessionClientName clientName;
    @Inject
    ClusterClients clusterClients;

    private Duration timeout;
    private SessionKeys keys;
    private String tenant;
    private String topology;
    /** The probe's clients by endpoint ({@link #MASTER}, or a cluster node's URI). */
    private final Map<String, Redis> clients = new ConcurrentHashMap<>();
    /** Cluster: the masters' URIs of the last slot map, asked for the next one too, beside the configured hosts. */
    private volatile List<String> knownMasters = List.of();
    private final AtomicReference<CompletableFuture<Report>> inFlight = new AtomicReference<>();
    /** The last problem reported (DOWN, or masters failing), so a lasting one is logged once, not at every probe. */
    private final AtomicReference<String> lastProblem = new AtomicReference<>();

    @PostConstruct
    void init() {
        timeout = config.health().timeout();
        keys = new SessionKeys(config.keyPrefix(), sessionRedis.isCluster());
        // A session key of a tenant the application serves, so an ACL limited to some tenants is probed like it.
        tenant = config.tenant().defaultTenant();
        topology = sessionRedis.isCluster() ? "cluster"
                : SessionRedis.clientProperty(clientName.name(), "client-type").map(String::toLowerCase)
                        .orElse("standalone");
    }

    @PreDestroy
    void close() {
        clients.values().forEach(Redis::close);
        clients.clear();
    }

    /**
     * The state of the store: UP (perhaps with failing masters), or DOWN with the reason. Never fails; ends within
     * {@code quarkus.redis-session.health.timeout}.
     */
    public Uni<Report> probe() {
        // A copy of the stage: a caller that stops waiting must not cancel the probe the others wait for.
        return Uni.createFrom().completionStage(() -> running().minimalCompletionStage()).invoke(this::logChange);
    }

    /** The probe in flight, or a new one; it ends by its own deadline, so a caller that joins it waits less. */
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
        long deadline = System.nanoTime() + timeout.toNanos();
        return masters(deadline)
                .chain(masters -> Uni.join().all(masters.stream().map(master -> probe(master, deadline)).toList())
                        .andFailFast())
                .map(this::report)
                .onFailure().recoverWithItem(failure -> down(describe(failure)));
    }

    /**
     * One master, a slot it serves ({@code -1} for a server that is not a cluster node) and where the probe reaches it.
     */
    private record Master(String address, int slot, String endpoint) {
    }

    /**
     * What the probe found on one master: nothing wrong ({@code problem} null), no answer or connection
     * ({@code unreachable}), or a refusal of Redis.
     */
    private record Finding(String address, String problem, boolean unreachable) {
        boolean up() {
            return problem == null;
        }

        /** As the data shows it beside the master's address. */
        String state() {
            return up() ? UP : unreachable ? FailureKind.STORE_UNAVAILABLE.reason(problem) : problem;
        }

        /** As the {@code reason} of a DOWN report says it. */
        String reason() {
            return unreachable ? FailureKind.STORE_UNAVAILABLE.reason(address + ": " + problem)
                    : address + ": " + problem;
        }
    }

    private Uni<List<Master>> masters(long deadline) {
        if (!sessionRedis.isCluster()) {
            String address = sessionRedis.address();
            return Uni.createFrom().item(List.of(new Master("sentinel".equals(topology) ? "master via " + address
                    : address, -1, MASTER)));
        }
        // Any node that answers knows every master's slots: ask the configured hosts and the last masters at once,
        // so a stopped or silent one costs nothing.
        Set<String> asked = new LinkedHashSet<>(clusterClients.endpoints(clientName.name()));
        asked.addAll(knownMasters);
        return firstAnswer(asked.stream().map(endpoint -> onNode(endpoint,
                connection -> connection.send(Request.cmd(Command.CLUSTER).arg("SLOTS")), deadline)).toList())
                .map(reply -> {
                    ClusterSlotMap slots = ClusterSlotMap.of(reply);
                    if (!slots.servesAll()) {
                        throw new WrongTopologyException(slots.coverage() + ", so sessions in the others cannot be "
                                + "stored");
                    }
                    String template = asked.iterator().next();
                    List<Master> masters = slots.masters().stream().map(master -> new Master(master.address(),
                            master.firstSlot(), ClusterClients.nodeEndpoint(template, master.address()))).toList();
                    forgetOthers(asked, masters);
                    return masters;
                });
    }

    /** The first reply; when none comes, the first Redis error among the failures, else the first failure. */
    private static Uni<Response> firstAnswer(List<Uni<Response>> replies) {
        if (replies.isEmpty()) {
            return Uni.createFrom().failure(new IllegalStateException("the session client has no hosts"));
        }
        return Uni.createFrom().emitter(emitter -> {
            AtomicInteger pending = new AtomicInteger(replies.size());
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            for (Uni<Response> reply : replies) {
                reply.subscribe().with(emitter::complete, failure -> {
                    failures.add(failure);
                    if (pending.decrementAndGet() == 0) {
                        emitter.fail(failures.stream().filter(ErrorType.class::isInstance).findFirst()
                                .orElse(failures.get(0)));
                    }
                });
            }
        });
    }

    /** Remembers the masters and closes the clients of nodes that are neither asked nor masters any more. */
    private void forgetOthers(Set<String> asked, List<Master> masters) {
        List<String> endpoints = masters.stream().map(Master::endpoint).toList();
        knownMasters = endpoints;
        Set<String> kept = new LinkedHashSet<>(clusterClients.endpoints(clientName.name()));
        kept.addAll(endpoints);
        for (String endpoint : asked) {
            if (!kept.contains(endpoint)) {
                Redis client = clients.remove(endpoint);
                if (client != null) {
                    client.close();
                }
            }
        }
    }

    /** One master's finding, never a failure, by the deadline. */
    private Uni<Finding> probe(Master master, long deadline) {
        return onNode(master.endpoint(), connection -> probe(connection, master), deadline)
                .map(problem -> new Finding(master.address(), UP.equals(problem) ? null : problem, false))
                .onFailure().recoverWithItem(failure -> new Finding(master.address(), message(failure), true));
    }

    /**
     * The work on a connection of the probe's client to {@code endpoint}, failed with "no answer" at the deadline;
     * then the client is closed (its sockets with it) and the next probe opens a new one.
     */
    private <T> Uni<T> onNode(String endpoint, Function<RedisConnection, Uni<T>> work, long deadline) {
        Redis client = clients.computeIfAbsent(endpoint, this::newClient);
        Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000));
        return client.connect().chain(connection -> work.apply(connection).eventually(connection::close))
                .ifNoItem().after(left).failWith(() -> {
                    if (clients.remove(endpoint, client)) {
                        client.close();
                    }
                    return new NoAnswerException(timeout);
                });
    }

    private Redis newClient(String endpoint) {
        return MASTER.equals(endpoint) ? clusterClients.startingWith(clientName.name(), 0)
                : clusterClients.node(clientName.name(), endpoint);
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
                .onFailure(failure -> failure instanceof ErrorType && !RedisCalls.isConnectionLoss(failure))
                .recoverWithItem(error -> refused(command, (ErrorType) error, keys));
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

    /**
     * UP while a master serves sessions and none refuses the store's commands; the failing masters named in
     * {@code failing}, and the first problem as {@code reason} when DOWN.
     */
    private Report report(List<Finding> findings) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("topology", topology);
        findings.forEach(finding -> data.put(finding.address(), finding.state()));
        List<Finding> failing = findings.stream().filter(finding -> !finding.up()).toList();
        if (!failing.isEmpty()) {
            data.put("failing", String.join(", ", failing.stream().map(Finding::address).toList()));
        }
        // A refusal is the setup's (an ACL, a replica, a wrong client-type): every master would refuse alike.
        Finding refused = failing.stream().filter(finding -> !finding.unreachable()).findFirst().orElse(null);
        boolean up = refused == null && failing.size() < findings.size();
        if (!up) {
            data.put("reason", (refused != null ? refused : failing.get(0)).reason());
        }
        return new Report(up, data);
    }

    private Report down(String reason) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("topology", topology);
        data.put("reason", reason);
        return new Report(false, data);
    }

    /** Why the probe found no master: no node answered in time, or a topology the client does not fit. */
    private String describe(Throwable failure) {
        String message = message(failure);
        if (failure instanceof WrongTopologyException) {
            return FailureKind.WRONG_TOPOLOGY.reason(message);
        }
        if (message.contains("cluster support disabled")) {
            return FailureKind.WRONG_TOPOLOGY.reason("Redis is not a cluster, but the session client is configured "
                    + "with client-type=cluster (" + message + ")");
        }
        return FailureKind.STORE_UNAVAILABLE.reason(sessionRedis.address() + ": no node answered CLUSTER SLOTS ("
                + message + ")");
    }

    private static String message(Throwable failure) {
        return String.valueOf(failure.getMessage()).replace("\n", " ");
    }

    private void logChange(Report report) {
        Map<String, String> data = report.data();
        String failing = data.get("failing");
        String problem = !report.up() ? "is DOWN: " + data.get("reason")
                : failing == null ? null
                        : "serves only the sessions of the masters that answer; failing: " + String.join(", ",
                                List.of(failing.split(", ")).stream().map(master -> master + " (" + data.get(master)
                                        + ")").toList());
        String previous = lastProblem.getAndSet(problem);
        if (problem != null && !problem.equals(previous)) {
            LOG.warnf("Redis session store %s", problem);
        } else if (problem == null && previous != null) {
            LOG.infof("Redis session store is UP again on every master (was: %s)", previous);
        }
    }

    /**
     * @param up whether a master serves sessions and none refused the store's commands
     * @param data {@code topology}, each master's address with {@link #UP} or its problem, {@code failing} (the
     *        masters that are not UP) when some are not, and {@code reason} when down
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
