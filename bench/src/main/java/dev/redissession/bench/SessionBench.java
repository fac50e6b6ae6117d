package dev.redissession.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.redissession.testing.FreePorts;
import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisServer;

/**
 * Requests through the packaged demo app against a real Redis: throughput, latency percentiles and the Redis
 * commands each kind of request costs (from {@code INFO commandstats}). Not a test: run it by hand, see
 * bench/README.md.
 *
 * <pre>
 * java -cp "$(cat bench/target/classpath.txt):bench/target/classes" dev.redissession.bench.SessionBench \
 *     [requests per phase, default 20000] [client threads, default 16] [demo jar]
 * </pre>
 */
public final class SessionBench {

    private static final int SESSIONS = 500;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final RedisServer redis;

    private SessionBench(String base, RedisServer redis) {
        this.base = base;
        this.redis = redis;
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        Path jar = Path.of(args.length > 2 ? args[2] : "demo/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn -B -q install -DskipTests");
        }
        // With a fourth argument, the master gets a replica and the app waits for that many replica acks per write.
        String replicaAcks = args.length > 3 ? args[3] : null;
        try (RedisServer redis = RedisServer.start();
                RedisServer replica = replicaAcks == null ? null : RedisServer.startReplicaOf(redis)) {
            int port = FreePorts.next();
            Path log = Files.createTempFile("session-bench-app-", ".log");
            List<String> command = new ArrayList<>(List.of("java", "-Dquarkus.http.port=" + port,
                    "-Dquarkus.redis.hosts=" + redis.uri(), "-Dquarkus.log.level=WARN"));
            if (replicaAcks != null) {
                dev.redissession.testing.Poll.until(Duration.ofSeconds(30), "the replica to be in sync",
                        () -> replica.cli("INFO", "replication"), info -> info.contains("master_link_status:up"));
                command.add("-Dquarkus.redis-session.replica-acks=" + replicaAcks);
                System.out.printf("With a replica (port %d), quarkus.redis-session.replica-acks=%s%n", replica.port(),
                        replicaAcks);
            }
            command.addAll(List.of("-jar", jar.toString()));
            Process app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                SessionBench bench = new SessionBench("http://127.0.0.1:" + port, redis);
                bench.awaitUp(app, log);
                bench.run(requests, threads);
            } finally {
                app.destroy();
                app.waitFor();
            }
        }
    }

    private void run(int requests, int threads) throws Exception {
        List<String> cookies = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            cookies.add(login("u-" + i));
        }
        System.out.printf("Demo app + redis-server %s, %d sessions, %d client threads, %d requests per phase%n%n",
                redis.cli("INFO", "server").lines().filter(l -> l.startsWith("redis_version")).findFirst()
                        .orElse("?"),
                SESSIONS, threads, requests);
        System.out.println("| request | req/s | p50 ms | p99 ms | Redis commands per request (commandstats) |");
        System.out.println("|---|---|---|---|---|");
        phase("GET /demo/ping (session cookie, no getSession)", "GET", "/demo/ping", cookies, requests, threads);
        phase("GET /demo/me (reads the session)", "GET", "/demo/me", cookies, requests, threads);
        phase("POST /demo/counter (changes the session)", "POST", "/demo/counter", cookies, requests, threads);
    }

    private void phase(String name, String method, String path, List<String> cookies, int requests, int threads)
            throws Exception {
        measure(method, path, cookies, requests / 10, threads); // warm-up: JIT, connection pools
        redis.resetStats();
        long started = System.nanoTime();
        long[] latencies = measure(method, path, cookies, requests, threads);
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Long> stats = new TreeMap<>(redis.commandStats());
        stats.keySet().removeIf(c -> c.startsWith("config") || c.startsWith("info"));
        StringBuilder perRequest = new StringBuilder();
        stats.forEach((command, calls) -> perRequest.append(perRequest.isEmpty() ? "" : ", ")
                .append(command).append(' ').append(String.format("%.2f", calls / (double) requests)));
        Arrays.sort(latencies);
        System.out.printf("| %s | %.0f | %.2f | %.2f | %s |%n", name, requests / seconds,
                latencies[latencies.length / 2] / 1e6, latencies[(int) (latencies.length * 0.99)] / 1e6,
                perRequest.isEmpty() ? "none" : perRequest);
    }

    private long[] measure(String method, String path, List<String> cookies, int requests, int threads)
            throws Exception {
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        String cookie = cookies.get(ThreadLocalRandom.current().nextInt(cookies.size()));
                        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                                .header("Cookie", cookie).method(method, HttpRequest.BodyPublishers.noBody()).build();
                        long start = System.nanoTime();
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        latencies[i] = System.nanoTime() - start;
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException(path + " answered " + response.statusCode() + ": "
                                    + response.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return latencies;
    }

    private String login(String user) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/demo/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"" + user + "\",\"email\":\"" + user
                        + "@example.com\",\"name\":\"Bench User\",\"roles\":[\"user\"]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("login answered " + response.statusCode() + ": " + response.body());
        }
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private void awaitUp(Process app, Path log) {
        Poll.until(Duration.ofSeconds(60), "the demo app to answer /demo/ping (log: " + log + ")", () -> {
            if (!app.isAlive()) {
                throw new IllegalStateException("the demo app exited; its log:\n" + readLog(log));
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(base + "/demo/ping")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false; // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
