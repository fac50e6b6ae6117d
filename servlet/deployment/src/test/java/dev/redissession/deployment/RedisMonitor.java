package dev.redissession.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisServer;

/** Every command a server receives while it runs ({@code redis-cli MONITOR} into a file), for a test to read. */
final class RedisMonitor implements AutoCloseable {

    private final RedisServer redis;
    private final Process process;
    private final Path output;

    private RedisMonitor(RedisServer redis, Process process, Path output) {
        this.redis = redis;
        this.process = process;
        this.output = output;
    }

    /** Starts monitoring and returns once the monitor sees commands (a marker it sends itself). */
    static RedisMonitor start(RedisServer redis) throws IOException {
        Path output = Files.createTempFile("redis-monitor", ".txt");
        Process process = new ProcessBuilder("redis-cli", "-h", redis.host(), "-p", String.valueOf(redis.port()),
                "MONITOR").redirectErrorStream(true).redirectOutput(output.toFile()).start();
        RedisMonitor monitor = new RedisMonitor(redis, process, output);
        monitor.mark();
        return monitor;
    }

    /** The commands seen until now: sends a marker and waits until the monitor has written it. */
    List<String> commands() {
        return mark();
    }

    private List<String> mark() {
        String marker = "monitor-mark-" + UUID.randomUUID();
        return Poll.until(Duration.ofSeconds(20), "the MONITOR output to show " + marker, () -> {
            redis.cli("ECHO", marker);
            try {
                return Files.readAllLines(output);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, lines -> lines.stream().anyMatch(line -> line.contains(marker)));
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        Files.deleteIfExists(output);
    }
}
