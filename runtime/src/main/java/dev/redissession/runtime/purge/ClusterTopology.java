package dev.redissession.runtime.purge;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.redissession.SessionStoreUnavailableException;
import dev.redissession.runtime.keys.ClusterSlotMap;
import dev.redissession.runtime.keys.ClusterSlots;
import dev.redissession.runtime.purge.PurgeCommands.ClusterChangedException;
import dev.redissession.runtime.store.RedisCalls.Effect;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * Which nodes a full SCAN must visit (the server itself, or every master of the cluster with a route key into one of
 * its slots), and whether the cluster's slots stayed put while a job ran.
 */
final class ClusterTopology {

    private static final Pattern MIGRATION = Pattern.compile("\\[(\\d+)-([<>])-[0-9a-fA-F]+\\]");

    private final PurgeCommands commands;

    ClusterTopology(PurgeCommands commands) {
        this.commands = commands;
    }

    /** The nodes to scan now: {@code CLUSTER SLOTS} on a cluster. */
    Uni<Topology> current() {
        if (!commands.cluster()) {
            Topology single = new Topology(List.of(new ScanNode(null, commands.address(), null, List.of())), "");
            // A cluster node behind a non-cluster client would be purged alone while the other masters keep their
            // keys: refuse. CLUSTER MYID answers only on a cluster node (elsewhere: "ERR This instance has cluster
            // support disabled"), and the purge's minimal ACL allows it, as a cluster purge needs it anyway; INFO,
            // which told this before, is @dangerous and denied to such a user. Any other error reply (a user without
            // it, a Redis without CLUSTER) or no answer: the purge runs as configured, and its SCAN reports a real
            // outage.
            return commands.send(Request.cmd(Command.CLUSTER).arg("MYID"), null, Effect.READ,
                    failure -> failure instanceof ErrorType)
                    .onFailure(failure -> failure instanceof ErrorType
                            || failure instanceof SessionStoreUnavailableException)
                    .recoverWithNull()
                    .map(clusterNodeId -> {
                        if (clusterNodeId != null) {
                            throw new ClusterChangedException("Redis is a cluster node but the session store's "
                                    + "Redis client is not configured with client-type=cluster, so a purge would "
                                    + "only see one master; set quarkus.redis[.<client-name>].client-type=cluster",
                                    false);
                        }
                        return single;
                    });
        }
        return commands.send(Request.cmd(Command.CLUSTER).arg("SLOTS"), null, Effect.READ)
                .map(slots -> topology(ClusterSlotMap.of(slots)));
    }

    /** On a cluster, a slot that moved while the job ran may have carried keys past the SCAN: not complete. */
    Uni<Void> checkUnchanged(Topology before) {
        return current().invoke(after -> {
            if (!after.fingerprint().equals(before.fingerprint())) {
                throw new ClusterChangedException("the cluster's slots moved while the purge ran");
            }
        }).call(after -> refuseMigrations(after, "when the purge ended")).replaceWithVoid();
    }

    /** A slot being migrated has keys on two nodes, and a moved key may escape the SCAN: not complete. */
    Uni<Void> refuseMigrations(Topology topology, String when) {
        return slotMigrations(topology).invoke(migrations -> {
            if (!migrations.isEmpty()) {
                throw new ClusterChangedException("slots were being migrated " + when + " ("
                        + String.join(", ", migrations.subList(0, Math.min(5, migrations.size())))
                        + (migrations.size() > 5 ? ", ..." : "") + "), so keys may have escaped the SCAN");
            }
        }).replaceWithVoid();
    }

    /**
     * The slots that any master is migrating or importing ({@code CLUSTER NODES} of each master, which only shows
     * its own). Empty when stable or standalone.
     */
    private Uni<List<String>> slotMigrations(Topology topology) {
        if (!commands.cluster()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(topology.nodes().stream()
                .map(node -> commands.batch(node.pinned(Request.cmd(Command.CLUSTER).arg("NODES")),
                        "CLUSTER NODES on " + node.address(), Effect.READ)
                        .map(responses -> parseMigrations(responses.get(responses.size() - 1).get(1).toString())))
                .toList()).andFailFast()
                .map(lists -> lists.stream().flatMap(List::stream).distinct().sorted().toList());
    }

    /** {@code [slot->-node]} (migrating) and {@code [slot-<-node]} (importing) entries of {@code CLUSTER NODES}. */
    static List<String> parseMigrations(String clusterNodes) {
        List<String> found = new ArrayList<>();
        Matcher matcher = MIGRATION.matcher(clusterNodes);
        while (matcher.find()) {
            found.add("slot " + matcher.group(1) + (">".equals(matcher.group(2)) ? " migrating" : " importing"));
        }
        return found;
    }

    /** The masters of {@code CLUSTER SLOTS}, each once with all its slots; fails unless every slot is served. */
    static Topology topology(ClusterSlotMap slots) {
        if (!slots.servesAll()) {
            throw new ClusterChangedException(slots.coverage() + "; a purge needs every slot served to be complete");
        }
        List<ScanNode> nodes = slots.masters().stream()
                .map(master -> new ScanNode(master.id(), master.address(), routeKey(master.firstSlot()),
                        master.slots()))
                .toList();
        return new Topology(nodes, slots.fingerprint());
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

        /**
         * {@code MULTI; EXISTS <route key>; <commands>; EXEC}: the Vert.x cluster client sends a keyless command
         * to a random node but a batch to the master of its first key's slot ({@code MULTI} makes it pick the
         * master even when reads may go to replicas), so the commands land on this node. Their replies are
         * {@code EXEC}'s (the last reply) from index 1 on.
         */
        List<Request> pinned(Request... commands) {
            List<Request> batch = new ArrayList<>(commands.length + 3);
            batch.add(Request.cmd(Command.MULTI));
            batch.add(Request.cmd(Command.EXISTS).arg(routeKey));
            batch.addAll(List.of(commands));
            batch.add(Request.cmd(Command.EXEC));
            return batch;
        }
    }

    /**
     * @param nodes the nodes to scan
     * @param fingerprint the slot ranges and their owners; a change during a purge makes it fail (it may have missed
     *        keys that moved)
     */
    record Topology(List<ScanNode> nodes, String fingerprint) {
    }
}
