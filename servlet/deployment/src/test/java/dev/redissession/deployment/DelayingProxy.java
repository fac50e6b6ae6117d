package dev.redissession.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback in front of a Redis server that can hold the next answer Redis sends back for a while (a
 * write that reaches Redis and is applied, but whose answer comes too late), or black-hole the connections it holds
 * while it still accepts and forwards new ones (a lost NAT entry, an idle-dropping load balancer). Fault injection for
 * tests.
 *
 * <p>
 * One per name and JVM: a QuarkusUnitTest loads the test class twice (JUnit's loader configures the app, Quarkus'
 * runs the methods), so the proxy's port and its delay control live in the system properties, which both share.
 */
final class DelayingProxy {

    private final ServerSocket server;
    private final int targetPort;
    private final AtomicLong nextDelayMillis;
    /** Connections accepted so far; those numbered below {@link #blackHoledBelow} forward nothing any more. */
    private final AtomicLong accepted;
    private final AtomicLong blackHoledBelow;

    private DelayingProxy(int targetPort, AtomicLong nextDelayMillis, AtomicLong accepted, AtomicLong blackHoledBelow)
            throws IOException {
        this.targetPort = targetPort;
        this.nextDelayMillis = nextDelayMillis;
        this.accepted = accepted;
        this.blackHoledBelow = blackHoledBelow;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "delaying-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * What the test holds: the proxy's address, the delay of the next answer, and the connection counts (JDK types,
     * shared by loaders).
     */
    record Handle(String uri, AtomicLong nextDelayMillis, AtomicLong accepted, AtomicLong blackHoledBelow) {
        /** The next chunk Redis sends on any connection is held this long before it is passed on; later ones not. */
        void delayNextAnswer(long millis) {
            nextDelayMillis.set(millis);
        }

        /**
         * From now on the connections open through the proxy pass nothing on, either way, and are never closed;
         * connections accepted later work.
         */
        void blackHoleOpenConnections() {
            blackHoledBelow.set(accepted.get());
        }

        /** How many connections the proxy has accepted so far. */
        long acceptedConnections() {
            return accepted.get();
        }
    }

    static Handle dedicated(String name, int targetPort) {
        String key = "dev.redissession.test.proxy." + name;
        synchronized (System.getProperties()) {
            Object known = System.getProperties().get(key);
            if (known == null) {
                AtomicLong delay = new AtomicLong();
                AtomicLong accepted = new AtomicLong();
                AtomicLong blackHoledBelow = new AtomicLong();
                try {
                    DelayingProxy proxy = new DelayingProxy(targetPort, delay, accepted, blackHoledBelow);
                    known = new Object[] { "redis://127.0.0.1:" + proxy.server.getLocalPort(), delay, accepted,
                            blackHoledBelow };
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                System.getProperties().put(key, known);
            }
            Object[] parts = (Object[]) known;
            return new Handle((String) parts[0], (AtomicLong) parts[1], (AtomicLong) parts[2],
                    (AtomicLong) parts[3]);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket redis = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                long number = accepted.getAndIncrement();
                pump(client, redis, false, number);
                pump(redis, client, true, number);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean answers, long connection) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) > 0;) {
                    if (connection < blackHoledBelow.get()) {
                        continue; // swallowed: the socket stays open and silent
                    }
                    long delay = answers ? nextDelayMillis.getAndSet(0) : 0;
                    if (delay > 0) {
                        Thread.sleep(delay); // the injected fault itself, not a wait for the test
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // a side closed: the other goes with it
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "delaying-proxy-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
