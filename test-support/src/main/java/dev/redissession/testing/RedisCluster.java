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
 * A Redis Cluster of real {@code redis-server} processes on 127.0.0.1: masters only (no replicas), all 16384
 * slots assigned, every node reporting {@code cluster_state:ok} before {@link #start(int)} returns.
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
        if (masters < 3) {
            throw new IllegalArgumentException("redis-cli --cluster create needs at least 3 masters, got " + masters);
        }
        List<RedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < masters; i++) {
                nodes.add(RedisServer.start(NODE_ARGS));
            }
            RedisCli.createCluster(nodes.stream().map(RedisServer::port).toList(), READY_TIMEOUT);
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
     * Polls until every node reports cluster_state:ok, all nodes known and all 16384 slots assigned, e.g. after
     * restarting a node. Fails with the last CLUSTER INFO seen if that takes longer than timeout.
     */
    public void awaitReady(Duration timeout) {
        Poll.until(timeout, "cluster " + hosts() + " to be ready", this::notReady, Objects::isNull);
    }

    /** What keeps the cluster from being ready (a node's CLUSTER INFO, or why it did not answer); null once it is. */
    private String notReady() {
        for (RedisServer n : nodes) {
            try {
                String info = n.cli(Duration.ofSeconds(2), "CLUSTER", "INFO");
                if (!"ok".equals(RedisCli.infoField(info, "cluster_state"))
                        || !String.valueOf(nodes.size()).equals(RedisCli.infoField(info, "cluster_known_nodes"))
                        || !"16384".equals(RedisCli.infoField(info, "cluster_slots_assigned"))) {
                    return n + ":\n" + info;
                }
            } catch (RedisCliException e) {
                return n + ": " + e.getMessage();
            }
        }
        return null;
    }

    public List<RedisServer> nodes() {
        return nodes;
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

    /** FLUSHALL on every node (all are masters). */
    public void flushAll() {
        nodes.forEach(RedisServer::flushAll);
    }

    /** Keys summed over all nodes. */
    public long dbSize() {
        return nodes.stream().mapToLong(RedisServer::dbSize).sum();
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
