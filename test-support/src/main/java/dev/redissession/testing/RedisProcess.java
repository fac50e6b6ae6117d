package dev.redissession.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code redis-server} process on 127.0.0.1 in its own temp dir, persistence off: launched, paused, stopped and
 * relaunched in one way, whether this class launched it or found it by pid because another class loader did.
 *
 * <p>
 * Working on the OS process ({@link ProcessHandle}) rather than on the {@link Process} object is what lets a handle
 * found by pid behave like the launching one. Every process this class launches is also killed by a JVM shutdown
 * hook, so an aborted test run leaves none behind (only a SIGKILL of the JVM itself can).
 */
final class RedisProcess {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    private static final String CONFIG_FILE = "redis.conf";

    // process -> temp dir of everything this copy of the class launched and did not stop yet. The hook uses JDK types
    // only, so it still works if a (Quarkus) class loader that loaded this class has been closed meanwhile.
    private static final Map<ProcessHandle, File> LIVE = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(RedisProcess::killAllOnExit, "redis-test-shutdown"));
    }

    private final int port;
    /** Where the launch arguments are kept in the dir, for handles found by another class loader. */
    private static final String ARGS_FILE = "launch-args";
    private final Path dir; // null for a process found by pid whose dir was not published (it is never relaunched)
    private final String config; // written to the dir before launch if not there yet; Sentinel needs a config file
    private final List<String> args; // redis-server arguments after the defaults
    private final RedisCli cli;
    private ProcessHandle handle;
    private volatile boolean paused;

    private RedisProcess(int port, Path dir, String config, List<String> args) {
        this.port = port;
        this.dir = dir;
        this.config = config;
        this.args = List.copyOf(args);
        this.cli = new RedisCli(port, this.args);
    }

    /**
     * Launches a server on a free port in a new temp dir and waits until it answers PING. {@code config} (or null)
     * is its config file's content, {@code args} come after the defaults so they may override them.
     */
    static RedisProcess launch(String config, List<String> args) {
        Exec.binary("redis-cli"); // fail fast with the install hint before spawning anything
        Exec.binary("redis-server");
        RuntimeException lost = null;
        // a free port can be grabbed by someone else between probe and bind: retry with a new port then
        for (int attempt = 0; attempt < 3; attempt++) {
            Path dir;
            try {
                dir = Files.createTempDirectory("redis-test-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            RedisProcess p = new RedisProcess(FreePorts.redisPair(), dir, config, args);
            try {
                p.run();
                return p;
            } catch (RuntimeException e) {
                boolean portTaken = p.logTail().contains("Address already in use");
                p.remove();
                if (!portTaken) {
                    throw e;
                }
                lost = e;
            }
        }
        throw lost;
    }

    /**
     * The process serving {@code port}, launched by another class loader of this JVM with default arguments, or null
     * if nothing answers PING there. {@code dir} is its temp dir, or null if unknown.
     */
    static RedisProcess find(int port, Path dir) {
        RedisProcess p = new RedisProcess(port, dir, null, launchArgs(dir));
        try {
            if (!"PONG".equals(p.cli.ping(Duration.ofSeconds(2)))) {
                return null;
            }
            p.handle = ProcessHandle.of(p.cli.pid()).orElse(null);
        } catch (RedisCliException e) {
            return null;
        }
        return p.handle == null ? null : p;
    }

    /** The arguments the process in {@code dir} was launched with (a cluster node's), so a restart keeps them. */
    private static List<String> launchArgs(Path dir) {
        Path file = dir == null ? null : dir.resolve(ARGS_FILE);
        try {
            return file != null && Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    RedisCli cli() {
        return cli;
    }

    /** Whether it listens on TLS only. */
    boolean tls() {
        return RedisCli.isTls(args);
    }

    /** OS pid of the (last) process; stays the same after it stopped. */
    long pid() {
        return handle == null ? -1 : handle.pid();
    }

    /** True while the process exists (also when paused). */
    boolean isAlive() {
        return handle != null && handle.isAlive();
    }

    boolean isPaused() {
        return paused;
    }

    /** SIGSTOP: connections stay open but nothing is answered, as with a hung server. */
    void pause() {
        signal("-STOP");
        paused = true;
    }

    /** SIGKILL, as with a crashed server or host: connections break, the dir stays so {@link #restart()} can rejoin. */
    synchronized void kill() {
        ProcessHandle h = handle;
        if (h == null || !h.isAlive()) {
            return;
        }
        h.destroyForcibly();
        try {
            exits(h, SHUTDOWN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(h);
        paused = false;
    }

    /** SIGCONT, undoing {@link #pause()}. */
    void resume() {
        signal("-CONT");
        paused = false;
    }

    /**
     * The one way a process ends: SHUTDOWN NOSAVE (after SIGCONT if paused: a stopped process answers nothing), then
     * SIGKILL if it has not exited within 5 s. Keeps the dir (a restart uses it); no-op if not running.
     */
    synchronized void stop() {
        ProcessHandle h = handle;
        if (h == null) {
            return;
        }
        try {
            if (h.isAlive()) {
                if (paused) {
                    resume();
                }
                try {
                    cli.call(Duration.ofSeconds(2), "SHUTDOWN", "NOSAVE");
                } catch (RedisCliException ignored) {
                    // the server drops the connection while shutting down; its exit is checked below
                }
                if (!exits(h, SHUTDOWN_TIMEOUT)) {
                    h.destroyForcibly();
                    exits(h, SHUTDOWN_TIMEOUT);
                }
            }
        } catch (InterruptedException e) {
            h.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(h);
            paused = false;
        }
    }

    /** {@link #stop()}, then a new process on the same port and dir (recreated if removed), waiting for PING. */
    synchronized void restart() {
        if (dir == null) {
            throw new IllegalStateException("redis-server on port " + port + " has no known dir to restart in");
        }
        stop();
        run();
    }

    /** {@link #stop()}, delete the temp dir and give back the ports. Idempotent. */
    synchronized void remove() {
        stop();
        if (dir != null) {
            deleteRecursively(dir.toFile());
        }
        FreePorts.release(port);
    }

    /** The last lines of the server's output and log, for error messages. */
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

    @Override
    public String toString() {
        return "redis-server on port " + port + " (pid " + pid() + ")";
    }

    private synchronized void run() {
        List<String> cmd = new ArrayList<>(List.of(Exec.binary("redis-server")));
        try {
            Files.createDirectories(dir);
            if (config != null) {
                Path file = dir.resolve(CONFIG_FILE);
                if (!Files.exists(file)) { // a Sentinel rewrites its file: keep its state across a restart
                    Files.writeString(file, config);
                }
                cmd.add(file.toString());
            }
            Files.write(dir.resolve(ARGS_FILE), args);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + dir, e);
        }
        // A server with TLS files listens on TLS only, at its port: no plain port a client could fall back to.
        cmd.addAll(RedisCli.isTls(args) ? List.of("--port", "0", "--tls-port", String.valueOf(port))
                : List.of("--port", String.valueOf(port)));
        cmd.addAll(List.of("--bind", FreePorts.HOST, "--save", "", "--appendonly", "no",
                "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString(), "--daemonize", "no"));
        cmd.addAll(args);
        Process process;
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
        handle = process.toHandle();
        paused = false;
        LIVE.put(handle, dir.toFile());
        try {
            Poll.until(START_TIMEOUT, "redis-server on port " + port + " to answer PING", () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server on port " + port + " exited with "
                            + process.exitValue() + "; log tail:\n" + logTail());
                }
                return cli.ping(Duration.ofSeconds(1));
            }, "PONG"::equals);
        } catch (AssertionError timedOut) {
            // an error, not a test failure: and the log tail says why (the dir is gone once the caller cleans up)
            throw new IllegalStateException(timedOut.getMessage() + "; log tail:\n" + logTail(), timedOut);
        }
    }

    private void signal(String sig) {
        if (!isAlive()) {
            throw new IllegalStateException(this + " is not running");
        }
        Exec.check(Duration.ofSeconds(5), List.of(Exec.binary("kill"), sig, String.valueOf(pid())));
    }

    private static boolean exits(ProcessHandle h, Duration within) throws InterruptedException {
        try {
            h.onExit().get(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for the exit of pid " + h.pid() + " failed", e);
        }
    }

    // SIGKILL is fine here: persistence is off, and it also ends a SIGSTOPped process. Plain loops, no lambdas:
    // nothing here may need a class that a (possibly closed) class loader has not loaded yet.
    private static void killAllOnExit() {
        for (ProcessHandle h : LIVE.keySet()) {
            h.destroyForcibly();
        }
        for (Map.Entry<ProcessHandle, File> e : LIVE.entrySet()) {
            try {
                exits(e.getKey(), SHUTDOWN_TIMEOUT);
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
