package dev.redissession.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    private RedisCluster(List<RedisServer> nodes) {
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
            List<String> cmd = new ArrayList<>(List.of(Exec.binary("redis-cli"), "--cluster", "create"));
            nodes.forEach(n -> cmd.add(RedisServer.HOST + ":" + n.port()));
            cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Exec.check(READY_TIMEOUT, cmd);
            RedisCluster cluster = new RedisCluster(nodes);
            cluster.awaitReady(READY_TIMEOUT);
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(RedisServer::stop);
            throw e;
        }
    }

    /** Handle to a cluster another class loader started (see {@link TestRedis}); null if it does not answer. */
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

    /**
     * Polls until every running node reports cluster_state:ok, all nodes known and all 16384 slots assigned,
     * e.g. after restarting a node. Throws with the last CLUSTER INFO seen if that takes longer than timeout.
     */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (true) {
            boolean ok = true;
            for (RedisServer n : nodes) {
                try {
                    last = n + ":\n" + n.cli(Duration.ofSeconds(2), "CLUSTER", "INFO");
                    ok = "ok".equals(field(last, "cluster_state"))
                            && String.valueOf(nodes.size()).equals(field(last, "cluster_known_nodes"))
                            && "16384".equals(field(last, "cluster_slots_assigned"));
                } catch (RedisCliException e) {
                    last = n + ": " + e.getMessage();
                    ok = false;
                }
                if (!ok) {
                    break;
                }
            }
            if (ok) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cluster not ready within " + timeout.toSeconds() + " s; " + last);
            }
            try {
                Thread.sleep(50); // poll interval
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static String field(String info, String name) {
        Matcher m = Pattern.compile("^" + name + ":(\\S+)", Pattern.MULTILINE).matcher(info);
        return m.find() ? m.group(1) : null;
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

    /** Stops every node (no-op for an attached handle). */
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
