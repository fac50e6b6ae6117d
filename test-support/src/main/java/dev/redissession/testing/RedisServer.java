package dev.redissession.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code redis-server} child process on a free 127.0.0.1 port, in its own temp dir, with persistence off.
 * Driven through {@code redis-cli} subprocesses (no Redis client library in the rig).
 *
 * <p>Every server this class starts is also stopped by a JVM shutdown hook, so an aborted test run leaves no
 * processes behind (only a SIGKILL of the JVM itself can). {@link #stop()} deletes the temp dir.
 */
public final class RedisServer implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    static final Duration CLI_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern CMDSTAT = Pattern.compile("^cmdstat_(\\S+?):calls=(\\d+)", Pattern.MULTILINE);

    // process -> temp dir of everything this class started and not yet stopped; the hook uses JDK types only,
    // so it still works if a (Quarkus) class loader that loaded this class has been closed meanwhile
    private static final Map<Process, File> LIVE = new ConcurrentHashMap<>();
    // ports (and bus ports) handed out by this JVM, so two servers started back to back never collide
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(RedisServer::killAllOnExit, "redis-test-shutdown"));
    }

    private final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private Path config; // a config file given before the other arguments (Sentinel needs one on disk)
    private final boolean owned; // false: attached handle to a server another class loader started
    private Process process;
    private long pid;
    private volatile boolean paused;

    private RedisServer(int port, Path dir, List<String> extraArgs, boolean owned) {
        this.port = port;
        this.dir = dir;
        this.extraArgs = extraArgs;
        this.owned = owned;
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
        return start(dir -> null, List.of(extraArgs));
    }

    /**
     * Starts a Sentinel on a free port that monitors {@code master} under {@code masterName} (quorum 1), and waits
     * until it answers PING. Its {@link #uri()} is what {@code quarkus.redis.hosts} names with
     * {@code client-type=sentinel}.
     */
    public static RedisServer startSentinel(RedisServer master, String masterName) {
        return start(dir -> {
            Path config = dir.resolve("sentinel.conf");
            Files.writeString(config, "sentinel resolve-hostnames no\nsentinel monitor " + masterName + " " + HOST
                    + " " + master.port() + " 1\n");
            return config;
        }, List.of("--sentinel"));
    }

    private interface ConfigWriter {
        Path write(Path dir) throws IOException;
    }

    private static RedisServer start(ConfigWriter configWriter, List<String> extraArgs) {
        Exec.binary("redis-cli"); // fail fast with the install hint before spawning anything
        Exec.binary("redis-server");
        RuntimeException last = null;
        // a free port can be grabbed by someone else between probe and bind: retry with a new port then
        for (int attempt = 0; attempt < 3; attempt++) {
            Path dir;
            try {
                dir = Files.createTempDirectory("redis-test-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            RedisServer server = new RedisServer(freePort(), dir, extraArgs, true);
            try {
                server.config = configWriter.write(dir);
                server.launch();
                return server;
            } catch (IOException e) {
                server.stop();
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                boolean portTaken = server.logTail().contains("Address already in use");
                server.stop();
                if (!portTaken) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /**
     * Takes over a server another class loader of this JVM started for the same test ({@link TestRedis#dedicated}):
     * unlike {@link #attach}, the handle may stop, restart and pause it.
     */
    static RedisServer adopt(int port, Path dir) {
        RedisServer s = new RedisServer(port, dir, List.of(), true);
        Matcher m = Pattern.compile("process_id:(\\d+)").matcher(s.cli("INFO", "server"));
        s.pid = m.find() ? Long.parseLong(m.group(1)) : -1;
        return s;
    }

    /** A handle to a server someone else in this JVM started (no process ownership: stop/restart don't apply). */
    static RedisServer attach(int port) {
        RedisServer s = new RedisServer(port, null, List.of(), false);
        try {
            if (!"PONG".equals(s.cli(Duration.ofSeconds(2), "PING"))) {
                return null;
            }
            Matcher m = Pattern.compile("process_id:(\\d+)").matcher(s.cli("INFO", "server"));
            s.pid = m.find() ? Long.parseLong(m.group(1)) : -1;
            return s;
        } catch (RedisCliException e) {
            return null;
        }
    }

    public int port() {
        return port;
    }

    public String host() {
        return HOST;
    }

    /** {@code redis://127.0.0.1:PORT}, the value for {@code quarkus.redis.hosts}. */
    public String uri() {
        return "redis://" + HOST + ":" + port;
    }

    /** The server's temp dir (logs in {@code redis.log}); null for an attached handle. */
    public Path dir() {
        return dir;
    }

    /** OS pid of the redis-server process. */
    public long pid() {
        return pid;
    }

    /**
     * Runs {@code redis-cli -h 127.0.0.1 -p PORT --raw -e ARGS...} and returns its output without trailing
     * whitespace. {@code --raw} gives plain text: a bulk string prints as-is, nil as an empty string, an integer
     * as digits, an array as one element per line. {@code -e} turns error replies into a
     * {@link RedisCliException} (whose {@link RedisCliException#output()} holds the error text).
     */
    public String cli(String... args) {
        return cli(CLI_TIMEOUT, args);
    }

    /** {@link #cli(String...)} with an explicit timeout; throws {@link RedisCliException} with {@code timedOut()}. */
    public String cli(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Exec.binary("redis-cli"), "-h", HOST, "-p",
                String.valueOf(port), "--raw", "-e"));
        cmd.addAll(Arrays.asList(args));
        return Exec.check(timeout, cmd);
    }

    /** Calls per command from {@code INFO commandstats}, keyed by lower-case name (e.g. "set", "client|setname"). */
    public Map<String, Long> commandStats() {
        return parseCommandStats(cli("INFO", "commandstats"));
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
        signal("-STOP");
        paused = true;
    }

    /** Undoes {@link #pause()} (SIGCONT). */
    public void resume() {
        signal("-CONT");
        paused = false;
    }

    public boolean isPaused() {
        return paused;
    }

    /** True while the process exists (also when paused). */
    public boolean isRunning() {
        if (process != null) {
            return process.isAlive();
        }
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * SHUTDOWN NOSAVE, wait for the process to exit (SIGKILL if it doesn't), delete the temp dir. Idempotent.
     * No-op on an attached handle: shared servers belong to the JVM shutdown hook.
     */
    public synchronized void stop() {
        if (!owned) {
            return;
        }
        killProcess();
        deleteRecursively(dir.toFile());
        HANDED_OUT.remove(port);
        HANDED_OUT.remove(port + 10000);
    }

    /**
     * Stops the process if running and starts a new one on the same port and dir, waiting for PING. Data is not
     * kept (persistence is off); a cluster node keeps its identity via nodes.conf in the dir.
     */
    public synchronized void restart() {
        if (!owned) {
            throw new UnsupportedOperationException("attached handle to a shared server; start your own to restart it");
        }
        killProcess();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        launch();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "RedisServer[" + uri() + ", pid " + pid + "]";
    }

    static Map<String, Long> parseCommandStats(String info) {
        Map<String, Long> stats = new TreeMap<>();
        Matcher m = CMDSTAT.matcher(info);
        while (m.find()) {
            stats.put(m.group(1).toLowerCase(), Long.parseLong(m.group(2)));
        }
        return stats;
    }

    private synchronized void launch() {
        List<String> cmd = new ArrayList<>(List.of(Exec.binary("redis-server")));
        if (config != null) {
            cmd.add(config.toString());
        }
        cmd.addAll(List.of(
                "--port", String.valueOf(port), "--bind", HOST, "--save", "", "--appendonly", "no",
                "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString(), "--daemonize", "no"));
        cmd.addAll(extraArgs);
        try {
            process = new ProcessBuilder(cmd)
                    .directory(dir.toFile()) // relative paths (e.g. cluster nodes.conf) land in the temp dir
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + cmd, e);
        }
        pid = process.pid();
        paused = false;
        LIVE.put(process, dir.toFile());
        awaitPing();
    }

    private void awaitPing() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited with "
                        + process.exitValue() + "; log tail:\n" + logTail());
            }
            try {
                if ("PONG".equals(cli(Duration.ofSeconds(1), "PING"))) {
                    return;
                }
            } catch (RedisCliException notYet) {
                // not listening yet (connection refused) or loading
            }
            sleepQuietly(10); // poll interval
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
                + START_TIMEOUT.toSeconds() + " s; log tail:\n" + logTail());
    }

    private void killProcess() {
        Process p = process;
        if (p == null) {
            killAdopted();
            return;
        }
        try {
            if (p.isAlive()) {
                if (paused) {
                    resume(); // a stopped process can't process SHUTDOWN
                }
                try {
                    cli(Duration.ofSeconds(2), "SHUTDOWN", "NOSAVE");
                } catch (RedisCliException ignored) {
                    // the server drops the connection while shutting down; exit is checked below
                }
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(p);
            paused = false;
        }
    }

    /** An adopted server's process belongs to another class loader's {@link Process}: end it by pid. */
    private void killAdopted() {
        ProcessHandle handle = pid > 0 ? ProcessHandle.of(pid).orElse(null) : null;
        if (handle == null || !handle.isAlive()) {
            return;
        }
        if (paused) {
            resume();
        }
        try {
            cli(Duration.ofSeconds(2), "SHUTDOWN", "NOSAVE");
        } catch (RedisCliException ignored) {
            // the server drops the connection while shutting down; exit is checked below
        }
        try {
            handle.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
        }
        paused = false;
    }

    private void signal(String sig) {
        if (!isRunning()) {
            throw new IllegalStateException(this + " is not running");
        }
        Exec.check(Duration.ofSeconds(5), List.of(Exec.binary("kill"), sig, String.valueOf(pid)));
    }

    String logTail() {
        if (dir == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("stdout.log", "redis.log")) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve(name));
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> sb.append(l).append('\n'));
            } catch (IOException ignored) {
                // missing or unreadable log: nothing to add
            }
        }
        return sb.toString();
    }

    /**
     * A free loopback port below 55000 whose +10000 (the cluster bus port) is free too, so any server can be a
     * cluster node. Probed with ServerSocket(0); redis binds it moments later (start() retries on a lost race).
     */
    static int freePort() {
        for (int i = 0; i < 200; i++) {
            int p;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                p = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (p < 55000 && !HANDED_OUT.contains(p) && !HANDED_OUT.contains(p + 10000) && isFree(p + 10000)
                    && HANDED_OUT.add(p)) {
                HANDED_OUT.add(p + 10000);
                return p;
            }
        }
        throw new IllegalStateException("no free port pair (p, p+10000) below 55000 on " + HOST);
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(HOST, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // SIGKILL is fine here: persistence is off, and it also ends a SIGSTOPped process.
    private static void killAllOnExit() {
        for (Map.Entry<Process, File> e : LIVE.entrySet()) {
            e.getKey().destroyForcibly();
        }
        for (Map.Entry<Process, File> e : LIVE.entrySet()) {
            try {
                e.getKey().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            deleteRecursively(e.getValue());
        }
    }

    private static void deleteRecursively(File f) {
        File[] children = f.listFiles();
        if (children != null) {
            for (File c : children) {
                deleteRecursively(c);
            }
        }
        f.delete();
    }
}
