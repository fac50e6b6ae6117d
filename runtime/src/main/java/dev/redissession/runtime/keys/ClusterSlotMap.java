package dev.redissession.runtime.keys;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.vertx.mutiny.redis.client.Response;

/**
 * A {@code CLUSTER SLOTS} reply read once for the readiness probe and the purge: its slot ranges, the masters that serve
 * them and whether every slot is served.
 *
 * @param ranges the reply's ranges, in the reply's order
 */
public record ClusterSlotMap(List<Range> ranges) {

    /** The ranges of a {@code CLUSTER SLOTS} reply: {@code [start, end, [host, port, id?], replicas...]} each. */
    public static ClusterSlotMap of(Response reply) {
        List<Range> ranges = new ArrayList<>(reply.size());
        for (Response range : reply) {
            Response master = range.get(2);
            ranges.add(new Range(range.get(0).toInteger(), range.get(1).toInteger(), master.get(0).toString(),
                    master.get(1).toInteger(), master.size() > 2 ? master.get(2).toString() : null));
        }
        return new ClusterSlotMap(List.copyOf(ranges));
    }

    /** How many of the {@link ClusterSlots#SLOTS} slots a master serves. */
    public int served() {
        return ranges.stream().mapToInt(range -> range.end() - range.start() + 1).sum();
    }

    /** Whether a key in any slot has a master: if not, the sessions in the others cannot be stored or purged. */
    public boolean servesAll() {
        return served() == ClusterSlots.SLOTS;
    }

    /** {@code the cluster serves N of 16384 slots}, for a message about {@link #servesAll()} being false. */
    public String coverage() {
        return "the cluster serves " + served() + " of " + ClusterSlots.SLOTS + " slots";
    }

    /** Each master once, with all its slots in ascending order, sorted by address. */
    public List<Master> masters() {
        Map<String, Master> byId = new TreeMap<>();
        for (Range range : ranges.stream().sorted(Comparator.comparingInt(Range::start)).toList()) {
            List<Integer> slots = byId.computeIfAbsent(range.id(),
                    id -> new Master(id, range.address(), new ArrayList<>())).slots();
            for (int slot = range.start(); slot <= range.end(); slot++) {
                slots.add(slot);
            }
        }
        return byId.values().stream().map(master -> new Master(master.id(), master.address(),
                List.copyOf(master.slots()))).sorted(Comparator.comparing(Master::address)).toList();
    }

    /**
     * The ranges and their masters, the same whatever the order of the reply: a slot that moves to another master
     * changes it.
     */
    public String fingerprint() {
        return String.join(",",
                ranges.stream().map(range -> range.start() + "-" + range.end() + "@" + range.id()).sorted().toList());
    }

    /** One range of {@code CLUSTER SLOTS}: its slots and its master ({@code nodeId} null before Redis 4). */
    public record Range(int start, int end, String host, int port, String nodeId) {

        /** {@code host:port}, for messages. */
        public String address() {
            return host + ":" + port;
        }

        /** The master's node id, or its address when the reply has none. */
        public String id() {
            return nodeId != null ? nodeId : address();
        }
    }

    /**
     * A master and the slots it serves.
     *
     * @param id the cluster node id, or the address before Redis 4
     * @param address {@code host:port}, for messages
     * @param slots ascending, never empty
     */
    public record Master(String id, String address, List<Integer> slots) {

        /** Its lowest slot: a key hashed there reaches this master. */
        public int firstSlot() {
            return slots.get(0);
        }
    }
}
