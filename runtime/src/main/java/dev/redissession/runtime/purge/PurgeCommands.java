package dev.redissession.runtime.purge;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.redissession.SessionStoreUnavailableException;
import dev.redissession.runtime.keys.ClusterSlots;
import dev.redissession.runtime.keys.SessionKeys;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Every Redis command a tenant purge sends, and only those. Non-blocking: each method returns a lazy {@link Uni}
 * that fails with {@link SessionStoreUnavailableException} when Redis errs or does not answer in time.
 * <p>
 * <b>Per-node SCAN on Redis Cluster.</b> The Vert.x cluster client sends a keyless command such as {@code SCAN} to
 * a random node, and a SCAN cursor only means something on the node that issued it. A batch, however, is sent as
 * one pipeline to the node that owns the slot of its first key. So each page is the batch
 * {@code MULTI; EXISTS <route key>; CLUSTER MYID; SCAN <cursor> ...; EXEC}, where the route key is any string
 * hashing to a slot of the wanted master: the batch lands on that master ({@code MULTI} makes the client pick the
 * master even when reads may go to replicas), and {@code CLUSTER MYID} proves it did; an answer from another node
 * (the slot moved) fails the job instead of continuing a cursor on the wrong node.
 * <p>
 * <b>Deletes on Redis Cluster.</b> One {@code UNLINK} may only name keys of one slot, so a page's keys are grouped
 * by slot, and the per-slot {@code UNLINK}s of a page (all on the node that returned them) go in one pipeline.
 */
public final class PurgeCommands {

    /** Extends the lock only if this job still holds it. */
    private static final String RENEW_IF_HOLDER = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0""";
    /** Deletes the key only if it still holds this job's value (the lock, or the fence of a cancelled job). */
    private static final String DELETE_IF_VALUE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""";
    /** Stores the job's JSON, slides its retention, and returns the cancel flag set by any replica. */
    private static final String SAVE_JOB = """
            redis.call('HSET', KEYS[1], 'job', ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return redis.call('HGET', KEYS[1], 'cancel')""";
    /** Sets the cancel flag of an existing job; never creates a key (that would have no TTL). */
    private static final String REQUEST_CANCEL = """
            if redis.call('HEXISTS', KEYS[1], 'job') == 1 then redis.call('HSET', KEYS[1], 'cancel', '1') return 1 end
            return 0""";

    /** Fence commands per pipeline: a cluster has one fence key per slot. */
    private static final int FENCE_PIPELINE = 1024;

    private final Redis redis;
    private final boolean cluster;
    private final Duration timeout;
    private final String address;

    /**
     * @param redis the client the sessions live in
     * @param cluster whether it talks to a Redis Cluster
     * @param timeout how long one command (or pipeline) may take
     * @param address the Redis address for error messages, without credentials
     */
    public PurgeCommands(Redis redis, boolean cluster, Duration timeout, String address) {
        this.redis = redis;
        this.cluster = cluster;
        this.timeout = timeout;
        this.address = address;
    }

    /** {@code SET lock jobId NX PX lease}: whether this job now holds the tenant's purge lock. */
    Uni<Boolean> acquireLock(String lockKey, String jobId, long leaseMillis) {
        return send(Request.cmd(Command.SET).arg(lockKey).arg(jobId).arg("NX").arg("PX").arg(leaseMillis))
                .map(response -> response != null);
    }

    /** {@code GET lock}: the id of the job holding the tenant's lock, or {@code null}. */
    Uni<String> lockHolder(String lockKey) {
        return send(Request.cmd(Command.GET).arg(lockKey)).map(response -> response == null ? null : response.toString());
    }

    /** Compare-and-expire: whether the lock was still this job's and now lives {@code leaseMillis} more. */
    Uni<Boolean> renewLock(String lockKey, String jobId, long leaseMillis) {
        return eval(RENEW_IF_HOLDER, lockKey, jobId, String.valueOf(leaseMillis)).map(r -> r.toLong() == 1);
    }

    /** Compare-and-delete of the lock. */
    Uni<Void> releaseLock(String lockKey, String jobId) {
        return eval(DELETE_IF_VALUE, lockKey, jobId).replaceWithVoid();
    }

    /**
     * {@code SET fence <start millis> PX <max lifetime>} for each of the tenant's fence keys
     * ({@code SessionKeys.purgeFence}): one, or on a cluster one per slot, sent as one pipeline per master.
     */
    Uni<Void> writeFences(Topology topology, SessionKeys keys, String tenant, long startMillis, long ttlMillis) {
        return eachFence(topology, keys, tenant, fence -> Request.cmd(Command.SET).arg(fence).arg(startMillis)
                .arg("PX").arg(ttlMillis));
    }

    /** Compare-and-delete of each fence key, for a cancelled job (unless a later purge replaced it). */
    Uni<Void> dropFences(SessionKeys keys, String tenant, long startMillis) {
        return topology().chain(topology -> eachFence(topology, keys, tenant, fence -> Request.cmd(Command.EVAL)
                .arg(DELETE_IF_VALUE).arg(1).arg(fence).arg(String.valueOf(startMillis))));
    }

    /**
     * One command per fence key. On a cluster the keys of a master's slots go to it in pipelines (a batch goes to
     * the node of its first key, and every key of these is that node's): sent one by one, 16384 commands would
     * queue for the client's few pooled connections.
     */
    private Uni<Void> eachFence(Topology topology, SessionKeys keys, String tenant,
            Function<String, Request> command) {
        if (!cluster) {
            return send(command.apply(keys.purgeFence(tenant))).replaceWithVoid();
        }
        return Uni.join().all(topology.nodes().stream()
                .map(node -> Multi.createFrom().iterable(chunks(node.slots(), FENCE_PIPELINE))
                        .onItem().transformToUniAndConcatenate(slots -> guard(redis.batch(slots.stream()
                                .map(slot -> command.apply(keys.purgeFence(tenant, slot, true))).toList()),
                                "fence on " + node.address()))
                        .collect().last().replaceWithVoid())
                .toList()).andFailFast().replaceWithVoid();
    }

    private static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += size) {
            chunks.add(items.subList(from, Math.min(items.size(), from + size)));
        }
        return chunks;
    }

    /** Stores a job snapshot (a hash: {@code job} = JSON, {@code cancel}); the item says whether cancel was asked. */
    Uni<Boolean> saveJob(String jobKey, String json, long retentionMillis) {
        return eval(SAVE_JOB, jobKey, json, String.valueOf(retentionMillis)).map(r -> r != null);
    }

    /** {@code HGET job job}: the stored JSON, or {@code null}. */
    Uni<String> loadJob(String jobKey) {
        return send(Request.cmd(Command.HGET).arg(jobKey).arg("job")).map(r -> r == null ? null : r.toString());
    }

    /** Sets the job's cancel flag; {@code false} when the job is unknown. */
    Uni<Boolean> requestCancel(String jobKey) {
        return eval(REQUEST_CANCEL, jobKey).map(r -> r.toLong() == 1);
    }

    /**
     * The nodes one full SCAN must visit: the server itself, or every master of the cluster
     * ({@code CLUSTER SLOTS}) with a route key in one of its slots.
     */
    Uni<Topology> topology() {
        if (!cluster) {
            Topology single = new Topology(List.of(new ScanNode(null, address, null, List.of())), "");
            // A cluster node behind a non-cluster client would be purged alone while the other masters keep their
            // keys: refuse. INFO may be denied by ACLs; then the purge runs as configured.
            return send(Request.cmd(Command.INFO).arg("cluster"))
                    .onFailure(SessionStoreUnavailableException.class).recoverWithNull()
                    .map(info -> {
                        if (info != null && info.toString().contains("cluster_enabled:1")) {
                            throw new ClusterChangedException("Redis is a cluster node but the session store's "
                                    + "Redis client is not configured with client-type=cluster, so a purge would "
                                    + "only see one master; set quarkus.redis[.<client-name>].client-type=cluster",
                                    false);
                        }
                        return single;
                    });
        }
        return send(Request.cmd(Command.CLUSTER).arg("SLOTS")).map(PurgeCommands::parseSlots);
    }

    /**
     * The slots that any master is migrating or importing ({@code CLUSTER NODES} of each master, which only shows
     * its own): keys of such a slot can be on either node, so a SCAN may miss them. Empty when stable or standalone.
     */
    Uni<List<String>> slotMigrations(Topology topology) {
        if (!cluster) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(topology.nodes().stream()
                .map(node -> guard(redis.batch(List.of(Request.cmd(Command.MULTI),
                        Request.cmd(Command.EXISTS).arg(node.routeKey()), Request.cmd(Command.CLUSTER).arg("NODES"),
                        Request.cmd(Command.EXEC))), "CLUSTER NODES on " + node.address())
                        .map(responses -> parseMigrations(responses.get(responses.size() - 1).get(1).toString())))
                .toList()).andFailFast()
                .map(lists -> lists.stream().flatMap(List::stream).distinct().sorted().toList());
    }

    private static final Pattern MIGRATION = Pattern.compile("\\[(\\d+)-([<>])-[0-9a-fA-F]+\\]");

    /** {@code [slot->-node]} (migrating) and {@code [slot-<-node]} (importing) entries of {@code CLUSTER NODES}. */
    static List<String> parseMigrations(String clusterNodes) {
        List<String> found = new ArrayList<>();
        Matcher matcher = MIGRATION.matcher(clusterNodes);
        while (matcher.find()) {
            found.add("slot " + matcher.group(1) + (">".equals(matcher.group(2)) ? " migrating" : " importing"));
        }
        return found;
    }

    /** One page of {@code SCAN cursor MATCH pattern COUNT count} on one node. */
    Uni<ScanPage> scan(ScanNode node, String cursor, String pattern, int count) {
        Request scan = Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(count);
        if (node.id() == null) {
            return send(scan).map(PurgeCommands::page);
        }
        List<Request> pinned = List.of(Request.cmd(Command.MULTI), Request.cmd(Command.EXISTS).arg(node.routeKey()),
                Request.cmd(Command.CLUSTER).arg("MYID"), scan, Request.cmd(Command.EXEC));
        return guard(redis.batch(pinned), "SCAN on " + node.address()).map(responses -> {
            Response exec = responses.get(responses.size() - 1);
            String answeredBy = exec.get(1).toString();
            if (!node.id().equals(answeredBy)) {
                throw new ClusterChangedException("a SCAN meant for master " + node.address() + " (" + node.id()
                        + ") was answered by node " + answeredBy + ": the cluster's slots moved during the purge");
            }
            return page(exec.get(2));
        });
    }

    /**
     * Removes {@code keys} with {@code UNLINK}s of at most {@code batch} keys (and of one slot on a cluster), sent as
     * one pipeline; the item is how many keys existed and were removed.
     */
    Uni<Long> unlink(List<String> keys, int batch) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        List<List<String>> groups = new ArrayList<>();
        if (cluster) {
            Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
            keys.forEach(key -> bySlot.computeIfAbsent(ClusterSlots.slot(key), slot -> new ArrayList<>()).add(key));
            bySlot.values().forEach(group -> chunk(group, batch, groups));
        } else {
            chunk(keys, batch, groups);
        }
        List<Request> requests = new ArrayList<>(groups.size());
        for (List<String> group : groups) {
            Request unlink = Request.cmd(Command.UNLINK);
            group.forEach(unlink::arg);
            requests.add(unlink);
        }
        if (requests.size() == 1) {
            return send(requests.get(0)).map(Response::toLong);
        }
        return guard(redis.batch(requests), "UNLINK")
                .map(responses -> responses.stream().mapToLong(Response::toLong).sum());
    }

    private static void chunk(List<String> keys, int size, List<List<String>> into) {
        for (int from = 0; from < keys.size(); from += size) {
            into.add(keys.subList(from, Math.min(keys.size(), from + size)));
        }
    }

    private Uni<Response> eval(String script, String key, String... args) {
        Request eval = Request.cmd(Command.EVAL).arg(script).arg(1).arg(key);
        for (String arg : args) {
            eval.arg(arg);
        }
        return send(eval);
    }

    private Uni<Response> send(Request request) {
        return guard(redis.send(request), request.command().toString().toUpperCase());
    }

    private <T> Uni<T> guard(Uni<T> answer, String what) {
        return answer.ifNoItem().after(timeout)
                .failWith(() -> new IOException("no answer within " + timeout.toMillis() + " ms"))
                .onFailure(failure -> !(failure instanceof ClusterChangedException))
                .transform(failure -> new SessionStoreUnavailableException("Redis at " + address + " failed " + what
                        + ": " + failure.getMessage(), failure));
    }

    private static ScanPage page(Response scan) {
        Response keys = scan.get(1);
        List<String> found = new ArrayList<>(keys.size());
        for (Response key : keys) {
            found.add(key.toString());
        }
        return new ScanPage(scan.get(0).toString(), found);
    }

    static Topology parseSlots(Response slots) {
        Map<String, Integer> firstSlot = new TreeMap<>();
        Map<String, String> addresses = new TreeMap<>();
        Map<String, List<Integer>> slotsOf = new TreeMap<>();
        List<String> ranges = new ArrayList<>();
        int covered = 0;
        for (Response range : slots) {
            int start = range.get(0).toInteger();
            int end = range.get(1).toInteger();
            Response master = range.get(2);
            String address = master.get(0).toString() + ":" + master.get(1).toInteger();
            String id = master.size() > 2 ? master.get(2).toString() : address;
            covered += end - start + 1;
            firstSlot.merge(id, start, Math::min);
            addresses.put(id, address);
            List<Integer> served = slotsOf.computeIfAbsent(id, ignored -> new ArrayList<>());
            for (int slot = start; slot <= end; slot++) {
                served.add(slot);
            }
            ranges.add(start + "-" + end + "@" + id);
        }
        if (covered != ClusterSlots.SLOTS) {
            throw new ClusterChangedException("the cluster serves " + covered + " of " + ClusterSlots.SLOTS
                    + " slots; a purge needs every slot served to be complete");
        }
        List<ScanNode> nodes = firstSlot.entrySet().stream()
                .map(e -> new ScanNode(e.getKey(), addresses.get(e.getKey()), routeKey(e.getValue()),
                        slotsOf.get(e.getKey())))
                .sorted(Comparator.comparing(ScanNode::address)).toList();
        ranges.sort(null);
        return new Topology(nodes, String.join(",", ranges));
    }

    /** A key whose hash slot is {@code slot}. */
    static String routeKey(int slot) {
        return "purge-route:{" + ClusterSlots.tag(slot) + "}";
    }

    /**
     * One node a full SCAN visits.
     *
     * @param id the cluster node id, {@code null} for a standalone server
     * @param address host:port, for messages
     * @param routeKey a key in one of the node's slots, {@code null} for a standalone server
     * @param slots the slots the node serves, empty for a standalone server
     */
    record ScanNode(String id, String address, String routeKey, List<Integer> slots) {
    }

    /**
     * @param nodes the nodes to scan
     * @param fingerprint the slot ranges and their owners; a change during a purge makes it fail (it may have missed
     *        keys that moved)
     */
    record Topology(List<ScanNode> nodes, String fingerprint) {
    }

    /** One SCAN reply: the next cursor ({@code "0"} at the end) and the keys of this page. */
    record ScanPage(String cursor, List<String> keys) {
    }

    /**
     * The cluster's slots moved (or are moving) while a purge ran, or are not all served, or the client does not
     * match the server: the purge or count cannot be complete. The admin API answers 503 {@code cluster_changed}.
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
            return "cluster_changed";
        }
    }
}
