package dev.redissession.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.redissession.PurgeJob;
import dev.redissession.runtime.keys.SessionIds;
import dev.redissession.runtime.keys.SessionKeys;
import dev.redissession.runtime.metrics.SessionMetrics;
import dev.redissession.runtime.purge.PurgeCommands;
import dev.redissession.runtime.purge.PurgeSettings;
import dev.redissession.runtime.purge.PurgedSession;
import dev.redissession.runtime.purge.TenantPurgeService;
import dev.redissession.testing.RedisServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisOptions;

/**
 * Purges 100 000 sessions of one tenant among 1 000 000 keys, and measures the purge's wall time and the latency of
 * concurrent session reads ({@code GETEX}) of other tenants meanwhile; next to a raw {@code SCAN ... COUNT 1000} +
 * {@code UNLINK} loop on the same data, in rounds that each run the bare loop and every {@code scan-count} in a
 * rotating order (each ratio is against the bare loop of the same round). Starts its own redis-server
 * (test-support). Not a test: run it by hand, see bench/README.md. Arguments:
 * {@code [target sessions] [total keys] [readers] [rounds] [scan-counts, comma-separated]}.
 */
public final class PurgeBench {

    private static final String RAW = "raw";
    private static final String PREFIX = "session:";
    private static final String TARGET = "acme";
    private static final int NOISE_TENANTS = 99;
    private static final long TTL_MS = Duration.ofHours(1).toMillis();

    public static void main(String[] args) throws Exception {
        int targetSessions = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int totalKeys = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int readers = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int[] scanCounts = java.util.Arrays.stream((args.length > 4 ? args[4] : "250,500,1000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        String loadBefore = loadAverage();
        Vertx vertx = Vertx.vertx();
        try (RedisServer server = RedisServer.start()) {
            System.out.printf(Locale.ROOT, "redis-server %s on %s; %d keys, %d of tenant %s; %d concurrent readers%n",
                    server.cli("INFO", "server").lines().filter(l -> l.startsWith("redis_version:")).findFirst()
                            .orElse("?"),
                    server.uri(), totalKeys, targetSessions, TARGET, readers);
            Redis purgeClient = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri())
                    .setMaxPoolSize(6).setMaxPoolWaiting(64));
            Redis readClient = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri())
                    .setMaxPoolSize(readers).setMaxPoolWaiting(readers * 4));

            List<String> noiseSample = load(server, totalKeys - targetSessions, NOISE_TENANTS, "noise", 20_000);
            List<Row> rows = new ArrayList<>();
            // Warm-up (JIT, connections), not reported: a small purge and a few seconds of reads.
            load(server, 20_000, 1, TARGET, 0);
            engine(purgeClient, server, 500).purge(TARGET).collect().last().await().atMost(Duration.ofMinutes(5));
            load(server, 20_000, 1, TARGET, 0);
            rawLoop(purgeClient, new SessionKeys(PREFIX).scanPattern(TARGET));
            measure(0, "warm-up", readClient, noiseSample, readers, () -> {
                pause(2000);
                return "-";
            });
            rows.add(measure(0, "no purge (baseline reads, 3 s)", readClient, noiseSample, readers, () -> {
                pause(3000);
                return "-";
            }));
            List<String> runs = new ArrayList<>();
            runs.add(RAW);
            for (int scanCount : scanCounts) {
                runs.add(String.valueOf(scanCount));
            }
            int jobs = 1;
            for (int round = 1; round <= rounds; round++) {
                // Each round starts one later in the list, so no run always comes first (or right after the load).
                for (int i = 0; i < runs.size(); i++) {
                    String run = runs.get((i + round - 1) % runs.size());
                    load(server, targetSessions, 1, TARGET, 0);
                    if (run.equals(RAW)) {
                        rows.add(measure(round, "raw SCAN COUNT 1000 + UNLINK loop", readClient, noiseSample, readers,
                                () -> {
                                    long[] counts = rawLoop(purgeClient, new SessionKeys(PREFIX).scanPattern(TARGET));
                                    check(counts[1] == targetSessions, "raw loop deleted " + counts[1]);
                                    return counts[1] + " deleted, " + counts[0] + " pages";
                                }));
                        continue;
                    }
                    TenantPurgeService engine = engine(purgeClient, server, Integer.parseInt(run));
                    rows.add(measure(round, "TenantPurge, scan-count " + run, readClient, noiseSample, readers, () -> {
                        PurgeJob end = engine.purge(TARGET).collect().last().await().atMost(Duration.ofMinutes(10));
                        check(end.deleted() == targetSessions && end.state().isTerminal(), "purge: " + end);
                        return end.deleted() + " deleted, " + end.pages() + " pages";
                    }));
                    jobs++;
                    // What is left: every noise key, the tenant's fence and one state key per job.
                    check(server.dbSize() == totalKeys - targetSessions + 1 + jobs,
                            "only the tenant's keys are gone: " + server.dbSize());
                }
            }

            System.out.println();
            System.out.println(server.cli("INFO", "server").lines().filter(l -> l.startsWith("redis_version:"))
                    .findFirst().orElse("?") + "; load average before/after: " + loadBefore + " / " + loadAverage());
            System.out.printf(Locale.ROOT, "| %5s | %-34s | %9s | %-26s | %9s | %8s | %8s | %8s | %8s | %8s |%n",
                    "round", "run", "wall ms", "work", "reads", "p50 ms", "p99 ms", "max ms", "wall/raw", "p99/raw");
            System.out.println("|" + "-".repeat(7) + "|" + "-".repeat(36) + "|" + "-".repeat(11) + "|" + "-".repeat(28)
                    + "|" + "-".repeat(11) + ("|" + "-".repeat(10)).repeat(5) + "|");
            for (Row row : rows) {
                Row raw = rows.stream().filter(r -> r.round == row.round && r.name.startsWith("raw")).findFirst()
                        .orElse(null);
                System.out.printf(Locale.ROOT, "| %5s | %-34s | %9d | %-26s | %9d | %8.3f | %8.3f | %8.3f | %8s | %8s |%n",
                        row.round == 0 ? "-" : String.valueOf(row.round), row.name, row.wallMillis, row.work, row.reads,
                        row.p50, row.p99, row.max,
                        raw == null ? "-" : String.format(Locale.ROOT, "%.2fx", (double) row.wallMillis / raw.wallMillis),
                        raw == null ? "-" : String.format(Locale.ROOT, "%.2fx", row.p99 / raw.p99));
            }
        } finally {
            vertx.closeAndAwait();
            // Outside Quarkus, Mutiny's default worker pool (the purge's delays) has non-daemon threads: without this
            // the JVM would never exit after printing the table.
            io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool().shutdownNow();
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static TenantPurgeService engine(Redis client, RedisServer server, int scanCount) {
        PurgeSettings settings = new PurgeSettings(scanCount, 500, OptionalInt.empty(), Duration.ofSeconds(30),
                Duration.ofHours(24), Duration.ofHours(8), Duration.ofSeconds(30), 4);
        return new TenantPurgeService(new PurgeCommands(client, false, settings.commandTimeout(),
                settings.maxConcurrentCommands(), server.uri()),
                new SessionKeys(PREFIX), settings, SessionMetrics.NONE, java.time.Instant::now, PurgedSession.NONE);
    }

    /** The reference: what an operator would type, one page in flight, every key of the page unlinked. */
    private static long[] rawLoop(Redis redis, String pattern) {
        String cursor = "0";
        long pages = 0;
        long deleted = 0;
        do {
            Response page = redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT")
                    .arg(1000)).await().indefinitely();
            cursor = page.get(0).toString();
            pages++;
            if (page.get(1).size() > 0) {
                Request unlink = Request.cmd(Command.UNLINK);
                page.get(1).forEach(key -> unlink.arg(key.toString()));
                deleted += redis.send(unlink).await().indefinitely().toLong();
            }
        } while (!"0".equals(cursor));
        return new long[] { pages, deleted };
    }

    /** Runs {@code work} while {@code readers} loops read random sessions of other tenants; their latencies. */
    private static Row measure(int round, String name, Redis readClient, List<String> sample, int readers,
            Supplier<String> work)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> perReader = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            long[] latencies = new long[2_000_000];
            perReader.add(latencies);
            Thread thread = new Thread(() -> {
                int n = 0;
                while (!stop.get() && n < latencies.length - 1) {
                    String key = sample.get(ThreadLocalRandom.current().nextInt(sample.size()));
                    long start = System.nanoTime();
                    Response value = readClient.send(Request.cmd(Command.GETEX).arg(key).arg("PX").arg(TTL_MS))
                            .await().indefinitely();
                    latencies[++n] = System.nanoTime() - start;
                    if (value == null) {
                        throw new IllegalStateException("a session of another tenant is gone: " + key);
                    }
                }
                latencies[0] = n;
            }, "reader-" + r);
            thread.start();
            threads.add(thread);
        }
        pause(300); // readers warmed up
        long start = System.nanoTime();
        String done = work.get();
        long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        int total = perReader.stream().mapToInt(l -> (int) l[0]).sum();
        long[] all = new long[total];
        int at = 0;
        for (long[] latencies : perReader) {
            System.arraycopy(latencies, 1, all, at, (int) latencies[0]);
            at += (int) latencies[0];
        }
        java.util.Arrays.sort(all);
        Row row = new Row(round, name, wall, done, total, millis(all, 0.50), millis(all, 0.99),
                all.length == 0 ? 0 : all[all.length - 1] / 1e6);
        System.out.printf(Locale.ROOT, "round %d, %s: %d ms, %s; %d reads, p99 %.3f ms%n", round, name, wall, done, total,
                row.p99);
        return row;
    }

    private static double millis(long[] sorted, double quantile) {
        return sorted.length == 0 ? 0
                : sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    /**
     * Writes {@code count} session keys spread over {@code tenants} tenants named {@code base<i>} (or just
     * {@code base}) with redis-cli --pipe; returns up to {@code sample} of the keys.
     */
    private static List<String> load(RedisServer server, int count, int tenants, String base, int sample)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process pipe = new ProcessBuilder("redis-cli", "-h", server.host(), "-p", String.valueOf(server.port()),
                "--pipe").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        List<String> keys = new ArrayList<>(sample);
        String now = Instant.now().toString();
        byte[] value = ("{\"created_at\":\"" + now + "\",\"last_accessed_at\":\"" + now
                + "\",\"user\":\"someone@example.com\",\"roles\":[\"user\"],\"cart\":{\"items\":3}}")
                .getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = new BufferedOutputStream(pipe.getOutputStream(), 1 << 20)) {
            for (int i = 0; i < count; i++) {
                String tenant = tenants == 1 ? base : base + (i % tenants);
                String key = PREFIX + tenant + ":" + SessionIds.generate();
                if (keys.size() < sample) {
                    keys.add(key);
                }
                resp(out, "SET".getBytes(StandardCharsets.US_ASCII), key.getBytes(StandardCharsets.US_ASCII), value,
                        "PX".getBytes(StandardCharsets.US_ASCII),
                        String.valueOf(TTL_MS).getBytes(StandardCharsets.US_ASCII));
            }
        }
        check(pipe.waitFor(10, TimeUnit.MINUTES) && pipe.exitValue() == 0, "redis-cli --pipe failed");
        System.out.printf(Locale.ROOT, "loaded %d keys of %s in %d ms (%d keys now)%n", count,
                tenants == 1 ? "tenant " + base : tenants + " tenants", TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
                        - start),
                server.dbSize());
        return keys;
    }

    private static void resp(OutputStream out, byte[]... parts) throws IOException {
        out.write(("*" + parts.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] part : parts) {
            out.write(("$" + part.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(part);
            out.write('\r');
            out.write('\n');
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    private record Row(int round, String name, long wallMillis, String work, int reads, double p50, double p99, double max) {
    }
}
