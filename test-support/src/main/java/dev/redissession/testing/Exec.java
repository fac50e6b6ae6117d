package dev.redissession.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs helper binaries (redis-cli, kill) as subprocesses with a hard timeout. */
final class Exec {

    record Result(int exitCode, String output) {
    }

    private static final String INSTALL_HINT = "The Redis test rig starts real Redis processes; install them, "
            + "e.g. `apt-get install -y redis-server` (Debian/Ubuntu; provides redis-server and redis-cli).";

    // Output is drained on another thread so a large reply cannot fill the pipe and look like a timeout.
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "redis-test-exec-reader");
        t.setDaemon(true);
        return t;
    });

    private static final Map<String, String> RESOLVED = new ConcurrentHashMap<>();

    private Exec() {
    }

    /** Absolute path of {@code name} on PATH, or a clear error saying how to install it. */
    static String binary(String name) {
        return RESOLVED.computeIfAbsent(name, n -> {
            String path = System.getenv().getOrDefault("PATH", "");
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, n))) {
                    return Path.of(dir, n).toString();
                }
            }
            throw new IllegalStateException("'" + n + "' not found on PATH (" + path + "). " + INSTALL_HINT);
        });
    }

    static Result run(Duration timeout, List<String> command) {
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    // no stdin: redis-cli must never wait for input
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new RedisCliException(command, false, -1, e.getMessage(), e);
        }
        Future<String> out = READERS.submit(() -> new String(p.getInputStream().readAllBytes(), UTF_8));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                out.cancel(true);
                throw new RedisCliException(command, true, -1, null, null);
            }
            return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RedisCliException(command, false, -1, "interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new RedisCliException(command, false, p.exitValue(), "could not read output", e);
        }
    }

    /** Like {@link #run} but throws unless the exit code is 0; returns the output without trailing whitespace. */
    static String check(Duration timeout, List<String> command) {
        Result r = run(timeout, command);
        if (r.exitCode() != 0) {
            throw new RedisCliException(command, false, r.exitCode(), r.output(), null);
        }
        return r.output().stripTrailing();
    }
}
