package dev.redissession.runtime.purge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.redissession.runtime.keys.ClusterSlots;
import dev.redissession.runtime.keys.SessionKeys;
import dev.redissession.runtime.purge.ClusterTopology.ScanNode;
import dev.redissession.runtime.purge.ClusterTopology.Topology;
import dev.redissession.runtime.purge.PurgeCommands.ClusterChangedException;
import dev.redissession.runtime.store.RedisCalls.Effect;
import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The tenant's session keys, node by node: one SCAN loop per node (in parallel, one page in flight per node) for
 * the purge and the count alike, and the {@code UNLINK} of a page's keys.
 * <p>
 * <b>Per-node SCAN on Redis Cluster.</b> A SCAN cursor only means something on the node that issued it, so each
 * page is pinned to its master ({@link ScanNode#pinned}) together with {@code CLUSTER MYID}, which proves where it
 * ran: an answer from another node (the slot moved) fails the job instead of continuing a cursor on the wrong node.
 * <p>
 * <b>Deletes on Redis Cluster.</b> One {@code UNLINK} may only name keys of one slot, so a page's keys are grouped
 * by slot, and the per-slot {@code UNLINK}s of a page (all on the node that returned them) go in one pipeline.
 */
final class TenantScan {

    /** What a scan does with one page of one node; that node's next page waits for it. */
    @FunctionalInterface
    interface PageHandler {
        /**
         * @param scanned the keys the page returned (matching the pattern)
         * @param sessions those that are exactly the tenant's session keys, each once
         */
        Uni<Void> handle(int scanned, List<String> sessions);
    }

    private final PurgeCommands commands;
    private final SessionKeys keys;

    TenantScan(PurgeCommands commands, SessionKeys keys) {
        this.commands = commands;
        this.keys = keys;
    }

    /**
     * Scans every node of {@code topology} for the tenant's sessions, {@code count} keys per page hint. Before each
     * page it asks {@code stop}; a node that fails calls {@code onNodeFailure} at once (so the caller can stop the
     * other nodes), and the item fails with the first failure once every node loop ended. The item is whether every
     * node's cursor came back to 0 ({@code false}: stopped).
     */
    Uni<Boolean> scan(Topology topology, String tenant, int count, BooleanSupplier stop,
            Consumer<Throwable> onNodeFailure, PageHandler handler) {
        String pattern = keys.scanPattern(tenant);
        return Uni.join().all(topology.nodes().stream()
                .map(node -> scanNode(node, tenant, pattern, count, stop, handler).onFailure().invoke(onNodeFailure))
                .toList()).andCollectFailures()
                .onFailure(CompositeException.class).transform(failure -> ((CompositeException) failure).getCauses()
                        .get(0))
                .map(complete -> complete.stream().allMatch(done -> done));
    }

    private Uni<Boolean> scanNode(ScanNode node, String tenant, String pattern, int count, BooleanSupplier stop,
            PageHandler handler) {
        return Multi.createBy().repeating()
                .uni(() -> new AtomicReference<>("0"), cursor -> stop.getAsBoolean()
                        ? Uni.createFrom().item(Step.STOPPED)
                        : page(node, cursor.get(), pattern, count).chain(page -> handler
                                .handle(page.keys().size(), sessionsOf(page, tenant))
                                .map(ignored -> {
                                    cursor.set(page.cursor());
                                    return page.isLast() ? Step.DONE : Step.MORE;
                                })))
                .whilst(step -> step == Step.MORE)
                .collect().last()
                .map(step -> step == Step.DONE);
    }

    /** Where one node's SCAN loop is after a step. */
    private enum Step {
        MORE,
        DONE,
        STOPPED
    }

    private List<String> sessionsOf(ScanPage page, String tenant) {
        return page.keys().stream().filter(key -> keys.isSessionOf(key, tenant)).distinct().toList();
    }

    /** One page of {@code SCAN cursor MATCH pattern COUNT count} on one node. */
    Uni<ScanPage> page(ScanNode node, String cursor, String pattern, int count) {
        Request scan = Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(count);
        if (node.id() == null) {
            return commands.send(scan, null, Effect.READ).map(TenantScan::toPage);
        }
        return commands.batch(node.pinned(Request.cmd(Command.CLUSTER).arg("MYID"), scan),
                "SCAN on " + node.address(), Effect.READ).map(responses -> {
                    Response exec = responses.get(responses.size() - 1);
                    String answeredBy = exec.get(1).toString();
                    if (!node.id().equals(answeredBy)) {
                        throw new ClusterChangedException("a SCAN meant for master " + node.address() + " ("
                                + node.id() + ") was answered by node " + answeredBy
                                + ": the cluster's slots moved during the purge");
                    }
                    return toPage(exec.get(2));
                });
    }

    /**
     * Removes {@code sessions} with {@code UNLINK}s of at most {@code batch} keys (and of one slot on a cluster), sent as
     * one pipeline; the item is how many keys existed and were removed.
     */
    Uni<Long> unlink(List<String> sessions, int batch) {
        if (sessions.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        List<Request> requests = new ArrayList<>();
        for (List<String> group : groups(sessions, batch, commands.cluster())) {
            Request unlink = Request.cmd(Command.UNLINK);
            group.forEach(unlink::arg);
            requests.add(unlink);
        }
        if (requests.size() == 1) {
            return commands.send(requests.get(0), sessions.get(0), Effect.WRITE).map(Response::toLong);
        }
        return commands.batch(requests, "UNLINK", Effect.WRITE)
                .map(responses -> responses.stream().mapToLong(Response::toLong).sum());
    }

    /** The keys in groups of at most {@code size}, each group of one slot on a cluster. */
    static List<List<String>> groups(List<String> keys, int size, boolean bySlot) {
        List<List<String>> groups = new ArrayList<>();
        if (bySlot) {
            Map<Integer, List<String>> slots = new LinkedHashMap<>();
            keys.forEach(key -> slots.computeIfAbsent(ClusterSlots.slot(key), slot -> new ArrayList<>()).add(key));
            slots.values().forEach(group -> chunk(group, size, groups));
        } else {
            chunk(keys, size, groups);
        }
        return groups;
    }

    static <T> void chunk(List<T> items, int size, List<List<T>> into) {
        for (int from = 0; from < items.size(); from += size) {
            into.add(items.subList(from, Math.min(items.size(), from + size)));
        }
    }

    private static ScanPage toPage(Response scan) {
        Response found = scan.get(1);
        List<String> keys = new ArrayList<>(found.size());
        for (Response key : found) {
            keys.add(key.toString());
        }
        return new ScanPage(scan.get(0).toString(), keys);
    }

    /** One SCAN reply: the next cursor ({@code "0"} at the end) and the keys of this page. */
    record ScanPage(String cursor, List<String> keys) {
        boolean isLast() {
            return "0".equals(cursor);
        }
    }
}
