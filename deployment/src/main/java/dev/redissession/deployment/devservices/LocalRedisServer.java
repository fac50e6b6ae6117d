package dev.redissession.deployment.devservices;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import io.quarkus.deployment.builditem.Startable;

/**
 * A private {@code redis-server} child process for Dev Services: a free 127.0.0.1 port, a temp dir, no
 * persistence; {@link #close()} (or, failing that, JVM exit) ends it and deletes the dir, also after a failed start.
 */
final class LocalRedisServer implements Startable {

    private static final Logger LOG = Logger.getLogger(LocalRedisServer.class);
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Path binary;
    private final Path tempRoot;
    private Process process;
    private Thread exitHook;
    private Path dir;
    private int port;

    LocalRedisServer(Path binary) {
        this(binary, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** @param tempRoot where the server's own {@code redis-session-dev-*} directory is created */
    LocalRedisServer(Path binary, Path tempRoot) {
        this.binary = binary;
        this.tempRoot = tempRoot;
    }

    @Override
    public synchronized void start() {
        IllegalStateException failure = null;
        // a probed free port can be taken before redis binds it: then try another one
        for (int attempt = 0; attempt < 3 && process == null; attempt++) {
            try {
                launch();
            } catch (IllegalStateException e) {
                failure = e;
                close();
            }
        }
        if (process == null) {
            throw failure;
        }
        LOG.infof("Dev Services for Redis sessions: started %s (pid %d) at %s; no persistence, data in %s, "
                + "stopped with the application", binary, process.pid(), getConnectionInfo(), dir);
    }

    private void launch() {
        try {
            dir = Files.createTempDirectory(tempRoot, "redis-session-dev-");
            // a JVM that exits without close() (Ctrl+C in dev mode, the end of a test run) still removes the dir
            exitHook = new Thread(this::close, "redis-session-dev-services-exit");
            Runtime.getRuntime().addShutdownHook(exitHook);
            port = freePort();
            Path log = dir.resolve("redis.log");
            process = new ProcessBuilder(List.of(binary.toString(), "--port", String.valueOf(port), "--bind", HOST,
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no"))
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new IllegalStateException("Dev Services for Redis sessions could not start " + binary + ": " + e, e);
        }
        Process started = process;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!answersPing()) {
            if (!started.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("Dev Services for Redis sessions: " + binary + " on port " + port
                        + (started.isAlive() ? " did not answer PING within " + START_TIMEOUT.toSeconds() + " s"
                                : " exited with " + started.exitValue())
                        + "; its log:\n" + logTail());
            }
            pause();
        }
    }

    @Override
    public String getConnectionInfo() {
        return "redis://" + HOST + ":" + port;
    }

    @Override
    public String getContainerId() {
        return null; // a process, not a container
    }

    @Override
    public synchronized void close() {
        Process p = process;
        process = null;
        if (p != null) {
            p.destroy(); // SIGTERM: redis exits at once, nothing to save with persistence off
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            LOG.debugf("Dev Services for Redis sessions: stopped redis-server at %s", getConnectionInfo());
        }
        deleteDir();
        removeExitHook();
    }

    /** The server's own directory (its {@code redis.log}), while it runs. */
    synchronized Optional<Path> dir() {
        return Optional.ofNullable(dir);
    }

    private void removeExitHook() {
        if (exitHook == null || exitHook == Thread.currentThread()) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway and finds nothing left to do
        }
        exitHook = null;
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = new byte[7];
            InputStream in = socket.getInputStream();
            int read = in.readNBytes(reply, 0, reply.length);
            return new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException notYet) {
            return false; // not listening yet
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("redis.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void deleteDir() {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dir = null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20); // poll interval while redis-server starts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }
}
