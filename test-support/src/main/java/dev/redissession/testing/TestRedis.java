package dev.redissession.testing;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * JVM-wide test servers, started lazily on first use: shared ones every test class uses (their handles refuse
 * pause and restart and ignore stop, see {@link RedisServer}; the JVM shutdown hook ends them), and dedicated ones
 * for the one test that injects faults into it.
 *
 * <p>
 * Quarkus test runs may load this class in several class loaders (each with its own statics), so the
 * ports of these servers are also published as system properties; a class loader that did not start
 * them gets a handle on the same processes instead of starting new ones.
 */
public final class TestRedis {

    static final String STANDALONE_PROPERTY = "dev.redissession.testing.standalone.port";
    static final String CLUSTER_PROPERTY = "dev.redissession.testing.cluster.ports";
    static final String SENTINEL_PROPERTY = "dev.redissession.testing.sentinel.port";
    /** The master name the shared Sentinel knows {@link #sentinelMaster()} by. */
    public static final String SENTINEL_MASTER = "sessions-master";
    // a String literal is interned JVM-wide, so this lock is shared across class loaders too
    private static final Object LOCK = "dev.redissession.testing.TestRedis.lock";
    private static final int CLUSTER_MASTERS = 3;

    private static RedisServer standalone;
    private static RedisCluster cluster;
    private static RedisServer sentinel;

    private TestRedis() {
    }

    /** The shared standalone server. */
    public static RedisServer standalone() {
        synchronized (LOCK) {
            standalone = shared(standalone, STANDALONE_PROPERTY, RedisServer::start);
            return standalone;
        }
    }

    /**
     * {@code known} while it runs; else a shared handle on the server whose port another class loader published
     * under {@code property}; else on a new one from {@code start}, published there.
     */
    private static RedisServer shared(RedisServer known, String property, Supplier<RedisServer> start) {
        if (known != null && known.isRunning()) {
            return known;
        }
        String port = System.getProperty(property);
        RedisServer server = port == null ? null : RedisServer.attach(Integer.parseInt(port));
        if (server == null) {
            server = start.get().shared();
            System.setProperty(property, String.valueOf(server.port()));
        }
        return server;
    }

    /**
     * A server of one test's own, for fault injection (stop, restart, pause), started once per JVM under
     * {@code name}. The test's class may be loaded twice (JUnit's loader configures Quarkus, Quarkus' loader runs
     * the test methods); both get an own handle on the same process, and either may stop or restart it.
     */
    public static RedisServer dedicated(String name) {
        return dedicated(name, () -> RedisServer.start());
    }

    /** {@link #dedicated(String)}, started with these {@code redis-server} arguments (e.g. {@link TlsFiles#serverArgs}). */
    public static RedisServer dedicated(String name, String... args) {
        return dedicated(name, () -> RedisServer.start(args));
    }

    /**
     * {@link #dedicated(String)} for a server {@code start} launches (e.g. a replica or a Sentinel): started once per
     * JVM under {@code name}, and every class loader gets an own handle on it.
     */
    public static RedisServer dedicated(String name, Supplier<RedisServer> start) {
        synchronized (LOCK) {
            String property = "dev.redissession.testing.dedicated." + name;
            String known = System.getProperty(property);
            if (known != null) {
                String[] portAndDir = known.split("\\|", 2);
                RedisServer server = RedisServer.adopt(Integer.parseInt(portAndDir[0]), Path.of(portAndDir[1]));
                if (server != null) {
                    return server;
                }
            }
            RedisServer server = start.get();
            System.setProperty(property, server.port() + "|" + server.dir());
            return server;
        }
    }

    /**
     * A cluster of one test's own, for fault injection (a node stopped or restarted), started once per JVM under
     * {@code name}; like {@link #dedicated}, both class loaders of a Quarkus test get own handles on its nodes.
     */
    public static RedisCluster dedicatedCluster(String name) {
        return dedicatedCluster(name, 0);
    }

    /**
     * {@link #dedicatedCluster(String)} with {@code replicasPerMaster} replicas per master and {@code nodeArgs} added
     * to every node's arguments (see {@link RedisCluster#start(int, int, String...)}).
     */
    public static RedisCluster dedicatedCluster(String name, int replicasPerMaster, String... nodeArgs) {
        synchronized (LOCK) {
            String property = "dev.redissession.testing.dedicated-cluster." + name;
            String known = System.getProperty(property);
            if (known != null) {
                java.util.List<RedisServer> nodes = new java.util.ArrayList<>();
                for (String node : known.split(",")) {
                    String[] portAndDir = node.split("\\|", 2);
                    nodes.add(RedisServer.adopt(Integer.parseInt(portAndDir[0]), java.nio.file.Path.of(portAndDir[1])));
                }
                if (nodes.stream().allMatch(java.util.Objects::nonNull)) {
                    return new RedisCluster(nodes);
                }
            }
            RedisCluster cluster = RedisCluster.start(CLUSTER_MASTERS, replicasPerMaster, nodeArgs);
            System.setProperty(property, String.join(",",
                    cluster.nodes().stream().map(n -> n.port() + "|" + n.dir()).toList()));
            return cluster;
        }
    }

    /**
     * The master the shared Sentinel monitors: a server of its own, because a Sentinel publishes to and queries its
     * master every second, which would show in other tests' command statistics.
     */
    public static RedisServer sentinelMaster() {
        return dedicated("sentinel-master");
    }

    /** A Sentinel monitoring {@link #sentinelMaster()} as {@link #SENTINEL_MASTER}. */
    public static RedisServer sentinel() {
        synchronized (LOCK) {
            sentinel = shared(sentinel, SENTINEL_PROPERTY,
                    () -> RedisServer.startSentinel(sentinelMaster(), SENTINEL_MASTER));
            return sentinel;
        }
    }

    /** The shared 3-master cluster. */
    public static RedisCluster cluster() {
        synchronized (LOCK) {
            if (cluster == null || !cluster.nodes().stream().allMatch(RedisServer::isRunning)) {
                String ports = System.getProperty(CLUSTER_PROPERTY);
                cluster = ports == null ? null : RedisCluster.attach(RedisCluster.parsePorts(ports));
                if (cluster == null) {
                    cluster = RedisCluster.start(CLUSTER_MASTERS).shared();
                    System.setProperty(CLUSTER_PROPERTY, RedisCluster.portsOf(cluster));
                }
            }
            return cluster;
        }
    }
}
