package dev.redissession.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out free 127.0.0.1 ports for servers under test (redis-server, an app's HTTP port), never one this JVM
 * already handed out and still uses, so two servers started back to back do not collide.
 *
 * <p>
 * A port is probed with {@code ServerSocket(0)} and bound by the server moments later: someone outside this JVM
 * can take it in between, so callers that can retry on "address in use" should ({@link RedisProcess} does).
 */
public final class FreePorts {

    static final String HOST = "127.0.0.1";
    /** Redis Cluster talks to a node on its port + 10000 (the cluster bus). */
    private static final int BUS_OFFSET = 10000;
    private static final int MAX_REDIS_PORT = 55000; // so the bus port stays below 65535
    private static final int ATTEMPTS = 200;

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A free loopback port, e.g. for the HTTP port of an app a test launches. */
    public static int next() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int p = probe();
            if (HANDED_OUT.add(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no free port on " + HOST + " after " + ATTEMPTS + " attempts");
    }

    /**
     * A free port below 55000 whose cluster bus port (+10000) is free too, so any redis-server can be a cluster
     * node. Give it back with {@link #release(int)}.
     */
    static int redisPair() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int p = probe();
            if (p < MAX_REDIS_PORT && !HANDED_OUT.contains(p + BUS_OFFSET) && isFree(p + BUS_OFFSET)
                    && HANDED_OUT.add(p)) {
                HANDED_OUT.add(p + BUS_OFFSET);
                return p;
            }
        }
        throw new IllegalStateException(
                "no free port pair (p, p+" + BUS_OFFSET + ") below " + MAX_REDIS_PORT + " on " + HOST);
    }

    /** Gives back a port (and its bus port) from {@link #redisPair()}. */
    static void release(int redisPort) {
        HANDED_OUT.remove(redisPort);
        HANDED_OUT.remove(redisPort + BUS_OFFSET);
    }

    private static int probe() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a socket on " + HOST, e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(HOST, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
