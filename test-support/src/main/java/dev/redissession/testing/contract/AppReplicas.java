package dev.redissession.testing.contract;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redissession.testing.FreePorts;
import dev.redissession.testing.Poll;

/**
 * Replicas of a packaged app of the session contract ({@code java -jar quarkus-run.jar}, named by the system property
 * {@value #JAR_PROPERTY} that the module's failsafe configuration sets) as processes on free loopback ports, stopped
 * together; each one's output goes to {@code target/<label>-<name>.log}. The app must answer {@code GET /demo/ping}
 * with {@code pong} once it is up.
 */
public final class AppReplicas implements AutoCloseable {

    public static final String JAR_PROPERTY = "app.jar";
    public static final Duration STARTUP = Duration.ofSeconds(60);
    static final Pattern SESSION_COOKIE = Pattern.compile("JSESSIONID=([^;]*)");
    // HTTP/1.1 as browsers and load balancers talk to a replica: no h2c upgrade of the first request on a connection.
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String label;
    private final String jar;
    private final List<App> apps = new ArrayList<>();

    /** One replica: its process, port and log file. */
    public record App(String name, Process process, int port, Path log) {
        public URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        /** Polls the log until it contains {@code text} (the console handler flushes each line). */
        public void awaitLog(String text, Duration within) {
            Poll.until(within, "replica " + name + " to log '" + text + "' (log: " + log + ")", () -> {
                try {
                    return Files.readString(log, StandardCharsets.UTF_8).contains(text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        public String logTail() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }
    }

    /** @param label names the log files, so two test classes never write the same one */
    public AppReplicas(String label) {
        this.label = label;
        this.jar = System.getProperty(JAR_PROPERTY);
        assertNotNull(jar, "system property " + JAR_PROPERTY + " (set by the module's failsafe configuration)");
        assertTrue(Files.isRegularFile(Path.of(jar)), "the packaged app is missing: " + jar);
    }

    /**
     * Starts a replica using the Redis at {@code redisUri} and waits until it answers {@code /demo/ping};
     * {@code properties} are more {@code -Dname=value} settings.
     */
    public App start(String name, String redisUri, String... properties) throws IOException {
        return start(name, List.of(), redisUri, properties);
    }

    /**
     * As {@link #start(String, String, String...)}, the {@code java} command run by {@code launcher}, e.g.
     * {@code faketime -f -2h} for a replica whose clock is 2 h slow.
     */
    public App start(String name, List<String> launcher, String redisUri, String... properties) throws IOException {
        int port = FreePorts.next();
        Path log = Path.of("target", label + "-" + name + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(java, "-Dquarkus.http.port=" + port, "-Dquarkus.redis.hosts=" + redisUri));
        for (String property : properties) {
            command.add("-D" + property);
        }
        command.addAll(List.of("-jar", jar));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        App app = new App(name, process, port, log);
        apps.add(app);
        // Also when the test JVM is stopped before the test's cleanup runs (Ctrl-C on Maven).
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-replica-" + name));
        awaitPing("replica " + name, process, app.uri("/demo/ping"), STARTUP, app::logTail);
        return app;
    }

    @Override
    public void close() {
        for (App app : apps) {
            app.process().destroy();
        }
        for (App app : apps) {
            try {
                if (!app.process().waitFor(10, TimeUnit.SECONDS)) {
                    app.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                app.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        apps.clear();
    }

    /**
     * Polls {@code GET uri} until it answers 200 {@code pong}, failing with the end of the log when the process dies
     * or the time is up.
     */
    public static void awaitPing(String what, Process process, URI uri, Duration within, Supplier<String> log) {
        Poll.until(within, what + " to answer " + uri, () -> {
            if (!process.isAlive()) {
                throw new AssertionError(what + " exited with " + process.exitValue() + "; log:\n" + log.get());
            }
            try {
                HttpResponse<String> pong = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return pong.statusCode() + " " + pong.body();
            } catch (IOException notListeningYet) {
                return notListeningYet.toString(); // connection refused while it starts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, "200 pong"::equals);
    }

    // ---- HTTP -------------------------------------------------------------------------------------------------

    /** An answer: status, body, the session id it sets (if any) and its headers. */
    public record Reply(int status, String body, String sessionId, HttpHeaders headers) {
        public JsonNode json() {
            try {
                return ContractRequests.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }

        /** The header's first value, {@code null} when the answer has none. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body + " " + headers.map();
        }
    }

    /**
     * One request, with the session cookie and the {@code X-Tenant-Id} header unless they are {@code null}, and a
     * JSON body unless that is.
     */
    public static Reply send(URI uri, String method, String tenant, String sessionId, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (tenant != null) {
            request.header("X-Tenant-Id", tenant);
        }
        if (sessionId != null) {
            request.header("Cookie", "JSESSIONID=" + sessionId);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String setCookie = null;
        for (String header : response.headers().allValues("Set-Cookie")) {
            Matcher m = SESSION_COOKIE.matcher(header);
            if (m.find()) {
                setCookie = m.group(1);
            }
        }
        return new Reply(response.statusCode(), response.body(), setCookie, response.headers());
    }
}
