package dev.redissession.deployment.devservices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Dev Services' redis-server leaves no directory behind: after close, after a failed start, at JVM exit. */
class LocalRedisServerTest {

    static final Path REDIS_SERVER = LocalRedisPlan.of(name -> Optional.empty()).flatMap(LocalRedisPlan::binary)
            .orElseThrow(() -> new IllegalStateException("redis-server is not on the PATH"));

    @TempDir
    Path tempRoot;

    @Test
    void itsDirectoryHoldsTheLogWhileItRunsAndIsGoneAfterClose() throws IOException {
        LocalRedisServer server = new LocalRedisServer(REDIS_SERVER, tempRoot);
        server.start();
        Path dir = server.dir().orElseThrow();
        try {
            assertEquals(tempRoot, dir.getParent());
            assertTrue(dir.getFileName().toString().startsWith("redis-session-dev-"), dir.toString());
            assertTrue(Files.readString(dir.resolve("redis.log")).contains("Ready to accept connections"),
                    "redis-server logs into its own directory");
        } finally {
            server.close();
        }
        assertEquals(List.of(), entries(tempRoot), "nothing is left where the server ran");
        assertTrue(server.dir().isEmpty());
    }

    @Test
    void aFailedStartRemovesItsDirectory() throws IOException {
        Path exitsAtOnce = tempRoot.resolve("not-redis");
        Files.writeString(exitsAtOnce, "#!/bin/sh\necho 'no such option' >&2\nexit 3\n");
        Files.setPosixFilePermissions(exitsAtOnce, PosixFilePermissions.fromString("rwx------"));
        Path root = Files.createDirectory(tempRoot.resolve("root"));

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> new LocalRedisServer(exitsAtOnce, root).start());

        assertTrue(failure.getMessage().contains("exited with 3") && failure.getMessage().contains("no such option"),
                "the failure quotes the server's log: " + failure.getMessage());
        assertEquals(List.of(), entries(root), "every attempt's directory is removed");
    }

    @Test
    void aJvmThatExitsWithoutClosingItStillRemovesTheDirectoryAndEndsTheServer() throws Exception {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ExitWithoutClose.class.getName(), REDIS_SERVER.toString(),
                tempRoot.toString()).redirectErrorStream(true).start();
        assertTrue(jvm.waitFor(30, TimeUnit.SECONDS), "the JVM exits");
        String out = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, jvm.exitValue(), out);
        String[] started = out.lines().filter(l -> l.startsWith("started ")).findFirst().orElseThrow(
                () -> new AssertionError("no start reported: " + out)).split(" ");

        assertFalse(Files.exists(Path.of(started[2])), "the directory " + started[2] + " is removed at exit");
        assertFalse(ProcessHandle.of(Long.parseLong(started[1])).map(ProcessHandle::isAlive).orElse(false),
                "the redis-server " + started[1] + " ended with the JVM");
        assertEquals(List.of(), entries(tempRoot));
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** Starts a server and exits, as dev mode on Ctrl+C or a test JVM at its end; prints "started pid dir". */
    public static final class ExitWithoutClose {
        public static void main(String[] args) {
            LocalRedisServer server = new LocalRedisServer(Path.of(args[0]), Path.of(args[1]));
            server.start();
            long pid = ProcessHandle.current().children().findFirst().orElseThrow().pid();
            System.out.println("started " + pid + " " + server.dir().orElseThrow());
        }
    }
}
