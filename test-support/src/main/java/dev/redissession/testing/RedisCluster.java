package dev.redissession.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of real {@code redis-server} processes on 127.0.0.1: masters (and optionally replicas), all 16384
 * slots assigned, every node reporting {@code cluster_state:ok} (and every replica in sync) before {@code start}
 * returns.
 */
public final class RedisCluster implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    static final String[] NODE_ARGS = { "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", "5000" };

    private final List<RedisServer> nodes;

    RedisCluster(List<RedisServer> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** Starts {@code masters} (at least 3, a redis-cli requirement) nodes, creates the cluster, waits until ok. */
    public static RedisCluster start(int masters) {
        return start(masters, 0);
    }

    /**
     * Starts {@code masters} masters (at least 3, a redis-cli requirement) and {@code replicasPerMaster} replicas of
     * each, creates the cluster and waits until it is ok and every replica in sync. {@code nodeArgs} are added to
     * every node's arguments (e.g. {@code "--cluster-node-timeout", "2000"} for faster failovers).
     */
    public static RedisCluster start(int masters, int replicasPerMaster, String... nodeArgs) {
        if (masters < 3) {
            throw new IllegalArgumentException("redis-cli --cluster create needs at least 3 masters, got " + masters);
        }
        String[] args = new String[NODE_ARGS.length + nodeArgs.length];
        System.arraycopy(NODE_ARGS, 0, args, 0, NODE_ARGS.length);
        System.arraycopy(nodeArgs, 0, args, NODE_ARGS.length, nodeArgs.length);
        List<RedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
                nodes.add(RedisServer.start(args));
            }
            RedisCli.createCluster(nodes.stream().map(RedisServer::port).toList(), replicasPerMaster, READY_TIMEOUT);
            RedisCluster cluster = new RedisCluster(nodes);
            cluster.awaitReady(READY_TIMEOUT);
            return cluster;
        } catch (RuntimeException | Error e) {
            nodes.forEach(RedisServer::stop);
            throw e;
        }
    }

    /** A shared handle (see {@link RedisServer}) on a cluster another class loader started; null if it is gone. */
    static RedisCluster attach(List<Integer> ports) {
        List<RedisServer> nodes = new ArrayList<>();
        for (int port : ports) {
            RedisServer n = RedisServer.attach(port);
            if (n == null) {
                return null;
            }
            nodes.add(n);
        }
        return new RedisCluster(nodes);
    }

    /** A handle whose nodes are all shared (see {@link RedisServer}). */
    RedisCluster shared() {
        return new RedisCluster(nodes.stream().map(RedisServer::shared).toList());
    }

    /**
     * Polls until every running node reports cluster_state:ok, all nodes known and all 16384 slots assigned, every
     * running replica is in sync, every master serving slots runs (after a master was killed: until its replica took
     * over) and every running node tells the same roles, e.g. after restarting a node. Fails with what kept it from
     * being ready at the last poll if that takes longer than timeout.
     */
    public void awaitReady(Duration timeout) {
        Poll.until(timeout, "cluster " + hosts() + " to be ready", this::notReady, Objects::isNull);
    }

    /**
     * What keeps the cluster from being ready (a node's CLUSTER INFO, a replica out of sync, or why a node did not
     * answer); null once it is.
     */
    private String notReady() {
        Map<Integer, String> firstRoles = null;
        RedisServer firstNode = null;
        for (RedisServer n : nodes) {
            if (!n.isRunning()) {
                continue;
            }
            try {
                String info = n.cli(Duration.ofSeconds(2), "CLUSTER", "INFO");
                if (!"ok".equals(RedisCli.infoField(info, "cluster_state"))
                        || !String.valueOf(nodes.size()).equals(RedisCli.infoField(info, "cluster_known_nodes"))
                        || !"16384".equals(RedisCli.infoField(info, "cluster_slots_assigned"))) {
                    return n + ":\n" + info;
                }
                String replication = n.cli(Duration.ofSeconds(2), "INFO", "replication");
                if ("slave".equals(RedisCli.infoField(replication, "role"))
                        && !"up".equals(RedisCli.infoField(replication, "master_link_status"))) {
                    return n + " (a replica) is not in sync:\n" + replication;
                }
                // A role change (CLUSTER FAILOVER, a promotion) reaches the other nodes by gossip, one after another:
                // until they all tell the same roles, topology(), masters() and replicasOf() depend on whom they ask.
                Map<Integer, String> roles = runningRoles(ClusterNode.parse(n.cli(Duration.ofSeconds(2), "CLUSTER",
                        "NODES")));
                if (firstRoles == null) {
                    firstRoles = roles;
                    firstNode = n;
                } else if (!firstRoles.equals(roles)) {
                    return n + " and " + firstNode + " disagree on the roles: " + roles + " vs " + firstRoles;
                }
            } catch (RedisCliException e) {
                return n + ": " + e.getMessage();
            }
        }
        for (ClusterNode n : topology()) {
            if (n.master() && !n.slots().isEmpty() && (n.failed() || !node(n.port()).isRunning())) {
                return "master on port " + n.port() + " serves slots but is down";
            }
        }
        return null;
    }

    /** The role of each running node in one node's view: "master" or "replica of" its master's port. */
    private Map<Integer, String> runningRoles(List<ClusterNode> view) {
        Map<String, Integer> portById = view.stream().collect(Collectors.toMap(ClusterNode::id, ClusterNode::port));
        Map<Integer, String> roles = new TreeMap<>();
        for (ClusterNode n : view) {
            if (nodes.stream().anyMatch(r -> r.port() == n.port() && r.isRunning())) {
                roles.put(n.port(), n.master() ? "master" : "replica of " + portById.get(n.masterId()));
            }
        }
        return roles;
    }

    public List<RedisServer> nodes() {
        return nodes;
    }

    /** The node on {@code port}. */
    public RedisServer node(int port) {
        return nodes.stream().filter(n -> n.port() == port).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node of " + this + " on port " + port));
    }

    /** {@code CLUSTER KEYSLOT key}. */
    public int slotOf(String key) {
        return Integer.parseInt(cli("CLUSTER", "KEYSLOT", key));
    }

    /**
     * The master serving {@code slot} as the cluster sees it now ({@code CLUSTER NODES} of a running node): after a
     * failover, the promoted replica. Fails if no healthy master serves it (e.g. its master failed and no replica took
     * over yet).
     */
    public RedisServer masterOf(int slot) {
        return topology().stream().filter(n -> n.master() && !n.failed() && n.serves(slot)).findFirst()
                .map(n -> node(n.port()))
                .orElseThrow(() -> new IllegalStateException("no healthy master serves slot " + slot + " of " + this));
    }

    /** The nodes replicating {@code master}, as the cluster sees it now. */
    public List<RedisServer> replicasOf(RedisServer master) {
        List<ClusterNode> all = topology();
        String id = all.stream().filter(n -> n.port() == master.port()).findFirst().map(ClusterNode::id)
                .orElseThrow(() -> new IllegalArgumentException(master + " is not a node of " + this));
        return all.stream().filter(n -> id.equals(n.masterId())).map(n -> node(n.port())).toList();
    }

    /** The masters (not failed), as the cluster sees it now. */
    public List<RedisServer> masters() {
        return topology().stream().filter(n -> n.master() && !n.failed()).map(n -> node(n.port())).toList();
    }

    /** {@code CLUSTER NODES} of the first running node, parsed. */
    public List<ClusterNode> topology() {
        return ClusterNode.parse(cli("CLUSTER", "NODES"));
    }

    /**
     * One line of {@code CLUSTER NODES}.
     *
     * @param masterId the id of the master this node replicates, or {@code null} for a master
     * @param slots the slot ranges it serves, {@code {first, last}} each
     */
    public record ClusterNode(String id, int port, boolean master, boolean failed, String masterId,
            List<int[]> slots) {

        /** Whether it serves {@code slot}. */
        public boolean serves(int slot) {
            return slots.stream().anyMatch(range -> range[0] <= slot && slot <= range[1]);
        }

        static List<ClusterNode> parse(String clusterNodes) {
            List<ClusterNode> parsed = new ArrayList<>();
            for (String line : clusterNodes.split("\n")) {
                String[] f = line.trim().split(" ");
                if (f.length < 8) {
                    continue;
                }
                String address = f[1].split("@")[0];
                int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
                List<String> flags = List.of(f[2].split(","));
                List<int[]> slots = new ArrayList<>();
                for (int i = 8; i < f.length; i++) {
                    if (f[i].startsWith("[")) {
                        continue; // a slot being migrated or imported: still served by its owner's range
                    }
                    String[] range = f[i].split("-");
                    slots.add(new int[] { Integer.parseInt(range[0]), Integer.parseInt(range[range.length - 1]) });
                }
                parsed.add(new ClusterNode(f[0], port, flags.contains("master"),
                        flags.contains("fail") || flags.contains("fail?"), "-".equals(f[3]) ? null : f[3], slots));
            }
            return parsed;
        }
    }

    /** {@code redis://127.0.0.1:P1,redis://127.0.0.1:P2,...}, the value for {@code quarkus.redis.hosts}. */
    public String hosts() {
        return nodes.stream().map(RedisServer::uri).collect(Collectors.joining(","));
    }

    /**
     * {@code redis-cli -c ... --raw -e ARGS} against the first running node; {@code -c} follows MOVED/ASK so
     * keyed commands reach the node owning the slot. Output as in {@link RedisServer#cli(String...)}.
     */
    public String cli(String... args) {
        RedisServer entry = nodes.stream().filter(n -> n.isRunning() && !n.isPaused()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no running cluster node"));
        String[] withC = new String[args.length + 1];
        withC[0] = "-c";
        System.arraycopy(args, 0, withC, 1, args.length);
        return entry.cli(withC);
    }

    /** {@link RedisServer#commandStats()} summed over all nodes. */
    public Map<String, Long> commandStats() {
        Map<String, Long> sum = new TreeMap<>();
        nodes.forEach(n -> n.commandStats().forEach((k, v) -> sum.merge(k, v, Long::sum)));
        return sum;
    }

    /** Calls of one command summed over all nodes. */
    public long commandCalls(String command) {
        return nodes.stream().mapToLong(n -> n.commandCalls(command)).sum();
    }

    public void resetStats() {
        nodes.forEach(RedisServer::resetStats);
    }

    /** FLUSHALL on every master (replicas follow). */
    public void flushAll() {
        masters().forEach(RedisServer::flushAll);
    }

    /** Keys summed over all masters. */
    public long dbSize() {
        return masters().stream().mapToLong(RedisServer::dbSize).sum();
    }

    /** Stops every node (no-op for a shared handle). */
    public void stop() {
        nodes.forEach(RedisServer::stop);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "RedisCluster[" + hosts() + "]";
    }

    static String portsOf(RedisCluster c) {
        return c.nodes.stream().map(n -> String.valueOf(n.port())).collect(Collectors.joining(","));
    }

    static List<Integer> parsePorts(String s) {
        return Arrays.stream(s.split(",")).map(Integer::valueOf).toList();
    }
}
