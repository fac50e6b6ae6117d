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
import dev.redissession.runtime.store.LuaScripts;
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
 * <b>One round trip per page.</b> A purge sends a page's deletes and the next page's {@code SCAN} in one
 * pipeline (in that order), so each page costs one round trip, where a bare SCAN + UNLINK loop costs two; the
 * page's rate limit wait comes before that pipeline, and the stop check before each {@code SCAN}. A stopped scan,
 * and the last page, send the {@code UNLINK}s alone; a count sends the {@code SCAN}s alone.
 * <p>
 * <b>Per-node SCAN on Redis Cluster.</b> A SCAN cursor only means something on the node that issued it, so each
 * page is pinned to its master ({@link ScanNode#pinned}) together with {@code CLUSTER MYID}, which proves where it
 * ran: an answer from another node (the slot moved) fails the job instead of continuing a cursor on the wrong node.
 * <p>
 * <b>Deletes on Redis Cluster.</b> One {@code UNLINK} may only name keys of one slot, so a page's keys are grouped
 * by slot; the per-slot {@code UNLINK}s of a page go in one pipeline to the node that returned them, ahead of the
 * pinned {@code MULTI ... EXEC} of the next SCAN (outside it: a transaction may only name keys of one slot).
 */
final class TenantScan {

    /** What a scan does around each page of one node; that node's next step waits for it. */
    @FunctionalInterface
    interface PageHandler {
        /**
         * Before a purge unlinks the page's {@code sessions} (and sends the next SCAN with them): e.g. the rate limit.
         * Not called by a count, nor for a page without sessions.
         */
        default Uni<Void> beforeUnlink(List<String> sessions) {
            return Uni.createFrom().voidItem();
        }

        /**
         * The page is done (its sessions unlinked, for a purge).
         *
         * @param scanned the keys the page returned (matching the pattern)
         * @param sessions those that are exactly the tenant's session keys, each once
         * @param deleted those that existed and were deleted by this purge (none for a count)
         * @param expired those that were gone when deleted but still in the expiry index: their TTL ran out and the
         *        expiry sweep had not announced them (none for a count); the purge removed them from the index
         */
        Uni<Void> pageDone(int scanned, List<String> sessions, List<String> deleted, List<String> expired);
    }

    private final PurgeCommands commands;
    private final SessionKeys keys;

    TenantScan(PurgeCommands commands, SessionKeys keys) {
        this.commands = commands;
        this.keys = keys;
    }

    /**
     * Scans every node of {@code topology} for the tenant's sessions, {@code count} keys per page hint, and unlinks
     * them in {@code UNLINK}s of at most {@code deleteBatch} keys. See {@link #scan} for {@code stop},
     * {@code onNodeFailure} and the item.
     */
    Uni<Boolean> purge(Topology topology, String tenant, int count, int deleteBatch, BooleanSupplier stop,
            Consumer<Throwable> onNodeFailure, PageHandler handler) {
        return scan(topology, tenant, count, deleteBatch, stop, onNodeFailure, handler);
    }

    /** Scans every node of {@code topology} for the tenant's sessions without deleting them; see {@link #scan}. */
    Uni<Boolean> count(Topology topology, String tenant, int count, BooleanSupplier stop,
            Consumer<Throwable> onNodeFailure, PageHandler handler) {
        return scan(topology, tenant, count, 0, stop, onNodeFailure, handler);
    }

    /**
     * Scans every node; {@code deleteBatch} 0 for a scan that does not delete. Before each SCAN it asks {@code stop};
     * a node that fails calls {@code onNodeFailure} at once (so the caller can stop the other nodes), and the item
     * fails with the first failure once every node loop ended. The item is whether every node's cursor came back to
     * 0 ({@code false}: stopped).
     */
    private Uni<Boolean> scan(Topology topology, String tenant, int count, int deleteBatch, BooleanSupplier stop,
            Consumer<Throwable> onNodeFailure, PageHandler handler) {
        String pattern = keys.scanPattern(tenant);
        return Uni.join().all(topology.nodes().stream()
                .map(node -> scanNode(node, tenant, pattern, count, deleteBatch, stop, handler).onFailure()
                        .invoke(onNodeFailure))
                .toList()).andCollectFailures()
                .onFailure(CompositeException.class).transform(failure -> ((CompositeException) failure).getCauses()
                        .get(0))
                .map(complete -> complete.stream().allMatch(done -> done));
    }

    /**
     * One node's loop. Each step handles the page in hand: its UNLINKs, together with the next page's SCAN unless
     * it was the last page or the scan must stop; then the handler; then the next page is in hand.
     */
    private Uni<Boolean> scanNode(ScanNode node, String tenant, String pattern, int count, int deleteBatch,
            BooleanSupplier stop, PageHandler handler) {
        if (stop.getAsBoolean()) {
            return Uni.createFrom().item(false);
        }
        return page(node, "0", pattern, count).chain(first -> Multi.createBy().repeating()
                .uni(() -> new AtomicReference<>(first), inHand -> {
                    ScanPage page = inHand.get();
                    List<String> sessions = sessionsOf(page, tenant);
                    List<String> doomed = deleteBatch > 0 ? sessions : List.of();
                    Uni<Void> admitted = doomed.isEmpty() ? Uni.createFrom().voidItem()
                            : handler.beforeUnlink(doomed);
                    return admitted.chain(() -> {
                        // Asked after the rate limit wait: a cancel that came meanwhile sends no further SCAN.
                        String next = page.isLast() || stop.getAsBoolean() ? null : page.cursor();
                        return step(node, doomed, deleteBatch, next, pattern, count);
                    }).call(step -> handler.pageDone(page.keys().size(), sessions, step.deleted(), step.expired()))
                            .map(step -> {
                                inHand.set(step.next());
                                return step.next() != null ? Step.MORE : page.isLast() ? Step.DONE : Step.STOPPED;
                            });
                })
                .whilst(step -> step == Step.MORE)
                .collect().last())
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

    /**
     * What one step of a node's loop learnt: which keys its deletes removed (those that existed), and the next page
     * ({@code null} when it sent no SCAN).
     */
    record StepResult(List<String> deleted, List<String> expired, ScanPage next) {
        StepResult(Deleted deleted, ScanPage next) {
            this(deleted.existed(), deleted.expired(), next);
        }
    }

    /** Which keys of a page's deletes existed, and which had expired without the sweep having announced them. */
    record Deleted(List<String> existed, List<String> expired) {
        static final Deleted NONE = new Deleted(List.of(), List.of());
    }

    /**
     * One round trip: the deletes of {@code sessions} (calls of {@code purge-unlink.lua} of at most {@code batch}
     * keys, of one slot each on a cluster), then {@code SCAN cursor} unless {@code cursor} is {@code null}, in one
     * pipeline to {@code node}.
     */
    Uni<StepResult> step(ScanNode node, List<String> sessions, int batch, String cursor, String pattern, int count) {
        if (cursor == null) {
            return unlink(sessions, batch).map(deleted -> new StepResult(deleted, null));
        }
        if (sessions.isEmpty()) {
            return page(node, cursor, pattern, count).map(next -> new StepResult(Deleted.NONE, next));
        }
        List<List<String>> groups = groups(sessions, batch, commands.cluster());
        Request scan = scanRequest(cursor, pattern, count);
        return commands.batchWithScript(LuaScripts.PURGE_UNLINK, prefixLength(), call -> {
            List<Request> requests = new ArrayList<>(groups.stream().map(group -> call.apply(withIndex(group)))
                    .toList());
            if (node.id() == null) {
                requests.add(scan);
            } else {
                requests.addAll(node.pinned(Request.cmd(Command.CLUSTER).arg("MYID"), scan));
            }
            return requests;
        }, "UNLINK + SCAN on " + node.address(), Effect.WRITE).map(responses -> {
            Response last = responses.get(responses.size() - 1);
            return new StepResult(existed(groups, responses),
                    node.id() == null ? toPage(last) : pinnedPage(node, last));
        });
    }

    /** One page of {@code SCAN cursor MATCH pattern COUNT count} on one node. */
    Uni<ScanPage> page(ScanNode node, String cursor, String pattern, int count) {
        Request scan = scanRequest(cursor, pattern, count);
        if (node.id() == null) {
            return commands.send(scan, null, Effect.READ).map(TenantScan::toPage);
        }
        return commands.batch(node.pinned(Request.cmd(Command.CLUSTER).arg("MYID"), scan),
                "SCAN on " + node.address(), Effect.READ)
                .map(responses -> pinnedPage(node, responses.get(responses.size() - 1)));
    }

    private static Request scanRequest(String cursor, String pattern, int count) {
        return Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(count);
    }

    /** The page of a pinned SCAN's {@code EXEC} reply ({@code [EXISTS, CLUSTER MYID, SCAN]}), if {@code node} ran it. */
    private static ScanPage pinnedPage(ScanNode node, Response exec) {
        String answeredBy = exec.get(1).toString();
        if (!node.id().equals(answeredBy)) {
            throw new ClusterChangedException("a SCAN meant for master " + node.address() + " (" + node.id()
                    + ") was answered by node " + answeredBy + ": the cluster's slots moved during the purge");
        }
        return toPage(exec.get(2));
    }

    /**
     * Removes {@code sessions} with calls of {@code purge-unlink.lua} of at most {@code batch} keys (and of one slot on
     * a cluster), sent as one pipeline; the item is the keys that existed and were removed.
     */
    Uni<Deleted> unlink(List<String> sessions, int batch) {
        if (sessions.isEmpty()) {
            return Uni.createFrom().item(Deleted.NONE);
        }
        List<List<String>> groups = groups(sessions, batch, commands.cluster());
        return commands.batchWithScript(LuaScripts.PURGE_UNLINK, prefixLength(),
                call -> groups.stream().map(group -> call.apply(withIndex(group))).toList(), "UNLINK", Effect.WRITE)
                .map(responses -> existed(groups, responses));
    }

    /** A call's keys: the expiry index of the group's slot and its user ids, then the group's session keys. */
    private List<String> withIndex(List<String> group) {
        String index = keys.expiryIndexOf(group.get(0));
        List<String> all = new ArrayList<>(group.size() + 2);
        all.add(index);
        all.add(keys.expiryUsers(index));
        all.addAll(group);
        return all;
    }

    private long prefixLength() {
        return keys.prefix().length();
    }

    /** What the script calls (the first replies, one per group) found: the keys that existed, and had expired. */
    private static Deleted existed(List<List<String>> groups, List<Response> replies) {
        List<String> existed = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            for (Response position : replies.get(g).get(0)) {
                existed.add(groups.get(g).get(position.toInteger() - 1));
            }
            for (Response position : replies.get(g).get(1)) {
                expired.add(groups.get(g).get(position.toInteger() - 1));
            }
        }
        return new Deleted(existed, expired);
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
