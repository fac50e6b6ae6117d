package dev.redissession.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real {@code redis-server} on a free 127.0.0.1 port, as a test sees it: send it commands, read its statistics,
 * and on a server of the test's own inject faults (pause, stop, restart).
 *
 * <p>
 * A handle is in one of two modes, because some servers belong to one test and others to every test in the JVM:
 * <ul>
 * <li><b>own</b> ({@link #start()}, {@link TestRedis#dedicated}): the test may pause, stop and restart the server,
 * whichever class loader launched it (the process is driven by pid, the same way from every handle).
 * <li><b>shared</b> ({@link TestRedis#standalone()}, {@link TestRedis#cluster()}, {@link TestRedis#sentinel()}): other
 * test classes use it too, so {@link #pause()} and {@link #restart()} are refused and {@link #stop()} does nothing;
 * the JVM shutdown hook ends it.
 * </ul>
 */
public final class RedisServer implements AutoCloseable {

    private final RedisProcess process;
    private final boolean shared;

    private RedisServer(RedisProcess process, boolean shared) {
        this.process = process;
        this.shared = shared;
    }

    /** Starts a standalone server and waits until it answers PING. */
    public static RedisServer start() {
        return start(new String[0]);
    }

    /**
     * Starts a server with additional {@code redis-server} arguments (e.g. {@code "--maxmemory", "10mb"}); they
     * come after the defaults, so they may override them. Waits until the server answers PING.
     */
    public static RedisServer start(String... extraArgs) {
        return new RedisServer(RedisProcess.launch(null, List.of(extraArgs)), false);
    }

    /**
     * Starts a server that listens on TLS only, at its {@link #port()} (no plain port), with a certificate of
     * {@code tls}'s CA for {@code localhost}; with {@code requireClientCert} it accepts only clients presenting a
     * certificate of that CA (mTLS). {@link #cli} talks TLS to it.
     */
    public static RedisServer startTls(TlsFiles tls, boolean requireClientCert) {
        return start(tls.serverArgs(requireClientCert).toArray(String[]::new));
    }

    /**
     * Starts a Sentinel on a free port that monitors {@code master} under {@code masterName} (quorum 1), and waits
     * until it answers PING. Its {@link #uri()} is what {@code quarkus.redis.hosts} names with
     * {@code client-type=sentinel}.
     */
    public static RedisServer startSentinel(RedisServer master, String masterName) {
        return startSentinel(master, masterName, 1, 30_000); // Sentinel's own default down-after
    }

    /**
     * Starts a Sentinel on a free port that monitors {@code master} under {@code masterName}: {@code quorum} Sentinels
     * must agree it is down, which they do after {@code downAfterMillis} without an answer; a failover may be retried
     * after 10 s.
     */
    public static RedisServer startSentinel(RedisServer master, String masterName, int quorum, long downAfterMillis) {
        String config = "sentinel resolve-hostnames no\nsentinel monitor " + masterName + " " + FreePorts.HOST + " "
                + master.port() + " " + quorum + "\nsentinel down-after-milliseconds " + masterName + " "
                + downAfterMillis + "\nsentinel failover-timeout " + masterName + " 10000\n";
        return new RedisServer(RedisProcess.launch(config, List.of("--sentinel")), false);
    }

    /** Starts a server replicating {@code master} ({@code --replicaof}); it answers PING before its first sync. */
    public static RedisServer startReplicaOf(RedisServer master) {
        return start("--replicaof", master.host(), String.valueOf(master.port()));
    }

    /**
     * An own handle on a server another class loader of this JVM started for the same test (a plain
     * {@link #start()} in {@code dir}), or null if it no longer answers.
     */
    static RedisServer adopt(int port, Path dir) {
        RedisProcess p = RedisProcess.find(port, dir);
        return p == null ? null : new RedisServer(p, false);
    }

    /** A shared handle on a server someone else in this JVM started, or null if it no longer answers. */
    static RedisServer attach(int port) {
        RedisProcess p = RedisProcess.find(port, null);
        return p == null ? null : new RedisServer(p, true);
    }

    /** A shared handle on this handle's server. */
    RedisServer shared() {
        return shared ? this : new RedisServer(process, true);
    }

    public int port() {
        return process.port();
    }

    public String host() {
        return FreePorts.HOST;
    }

    /**
     * {@code redis://127.0.0.1:PORT} ({@code rediss://} for a TLS server), the value for {@code quarkus.redis.hosts}.
     */
    public String uri() {
        return (process.tls() ? "rediss" : "redis") + "://" + FreePorts.HOST + ":" + port();
    }

    /** The server's temp dir (logs in {@code redis.log}); null for a shared server another class loader started. */
    public Path dir() {
        return process.dir();
    }

    /** OS pid of the redis-server process. */
    public long pid() {
        return process.pid();
    }

    /**
     * Runs {@code redis-cli -h 127.0.0.1 -p PORT --raw -e ARGS...} and returns its output without trailing
     * whitespace. {@code --raw} gives plain text: a bulk string prints as-is, nil as an empty string, an integer
     * as digits, an array as one element per line. {@code -e} turns error replies into a
     * {@link RedisCliException} (whose {@link RedisCliException#output()} holds the error text).
     */
    public String cli(String... args) {
        return cli(RedisCli.TIMEOUT, args);
    }

    /** {@link #cli(String...)} with an explicit timeout; throws {@link RedisCliException} with {@code timedOut()}. */
    public String cli(Duration timeout, String... args) {
        return process.cli().call(timeout, args);
    }

    /** Calls per command from {@code INFO commandstats}, keyed by lower-case name (e.g. "set", "client|setname"). */
    public Map<String, Long> commandStats() {
        return RedisCli.commandStats(cli("INFO", "commandstats"));
    }

    /** Calls of one command since start or the last {@link #resetStats()}; 0 if never called. */
    public long commandCalls(String command) {
        return commandStats().getOrDefault(command.toLowerCase(), 0L);
    }

    /** {@code CONFIG RESETSTAT}; note the next stats read itself counts as one {@code info} call. */
    public void resetStats() {
        cli("CONFIG", "RESETSTAT");
    }

    public void flushAll() {
        cli("FLUSHALL");
    }

    /** Number of keys in db 0. */
    public long dbSize() {
        return Long.parseLong(cli("DBSIZE"));
    }

    /** Freezes the process (SIGSTOP): connections stay open but nothing is answered, as with a hung server. */
    public void pause() {
        refuseIfShared("pause");
        process.pause();
    }

    /**
     * SIGKILL: the server dies at once, as in a crash, and its clients' connections break. Unlike {@link #stop()} the
     * dir is kept, so {@link #restart()} brings it back (a cluster node with its identity, rejoining its cluster).
     */
    public void kill() {
        refuseIfShared("kill");
        process.kill();
    }

    /** Undoes {@link #pause()} (SIGCONT). */
    public void resume() {
        refuseIfShared("resume");
        process.resume();
    }

    public boolean isPaused() {
        return process.isPaused();
    }

    /** True while the process exists (also when paused). */
    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * SHUTDOWN NOSAVE, wait for the process to exit (SIGKILL if it doesn't), delete the temp dir. Idempotent.
     * No-op on a shared handle: shared servers belong to the JVM shutdown hook.
     */
    public void stop() {
        if (!shared) {
            process.remove();
        }
    }

    /**
     * Stops the process if running and starts a new one on the same port and dir, waiting for PING. Data is not
     * kept (persistence is off); a cluster node keeps its identity via nodes.conf in the dir (unless stopped before).
     */
    public void restart() {
        refuseIfShared("restart");
        process.restart();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "RedisServer[" + uri() + ", pid " + pid() + "]";
    }

    private void refuseIfShared(String what) {
        if (shared) {
            throw new UnsupportedOperationException("cannot " + what + " " + this + ": it is shared by every test in "
                    + "this JVM; use TestRedis.dedicated(name) or RedisServer.start() for a server of your own");
        }
    }
}
