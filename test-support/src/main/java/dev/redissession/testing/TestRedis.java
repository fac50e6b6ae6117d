package dev.redissession.testing;

/**
 * JVM-wide shared servers, started lazily on first use and stopped by the JVM shutdown hook. Tests must not
 * stop, pause or restart them: tests that inject faults start their own {@link RedisServer}.
 *
 * <p>Quarkus test runs may load this class in several class loaders (each with its own statics), so the
 * ports of the shared servers are also published as system properties; a class loader that did not start
 * them gets a handle attached to the same processes instead of starting new ones.
 */
public final class TestRedis {

    static final String STANDALONE_PROPERTY = "dev.redissession.testing.standalone.port";
    static final String CLUSTER_PROPERTY = "dev.redissession.testing.cluster.ports";
    // a String literal is interned JVM-wide, so this lock is shared across class loaders too
    private static final Object LOCK = "dev.redissession.testing.TestRedis.lock";
    private static final int CLUSTER_MASTERS = 3;

    private static RedisServer standalone;
    private static RedisCluster cluster;

    private TestRedis() {
    }

    /** The shared standalone server. */
    public static RedisServer standalone() {
        synchronized (LOCK) {
            if (standalone == null || !standalone.isRunning()) {
                String port = System.getProperty(STANDALONE_PROPERTY);
                standalone = port == null ? null : RedisServer.attach(Integer.parseInt(port));
                if (standalone == null) {
                    standalone = RedisServer.start();
                    System.setProperty(STANDALONE_PROPERTY, String.valueOf(standalone.port()));
                }
            }
            return standalone;
        }
    }

    /** The shared 3-master cluster. */
    public static RedisCluster cluster() {
        synchronized (LOCK) {
            if (cluster == null || !cluster.nodes().stream().allMatch(RedisServer::isRunning)) {
                String ports = System.getProperty(CLUSTER_PROPERTY);
                cluster = ports == null ? null : RedisCluster.attach(RedisCluster.parsePorts(ports));
                if (cluster == null) {
                    cluster = RedisCluster.start(CLUSTER_MASTERS);
                    System.setProperty(CLUSTER_PROPERTY, RedisCluster.portsOf(cluster));
                }
            }
            return cluster;
        }
    }
}
