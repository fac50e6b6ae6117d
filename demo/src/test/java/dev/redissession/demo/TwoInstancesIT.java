package dev.redissession.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redissession.testing.FreePorts;
import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisServer;

/**
 * Two replicas of the packaged demo ({@code java -jar quarkus-run.jar}, system property {@code demo.jar}) behind no
 * load balancer but sharing one Redis: a session made on one is the same session on the other, and both survive a
 * Redis outage without a restart (503 meanwhile, with the Redis address in the log and not in the response). Each app's output goes to {@code target/two-instances-<name>.log}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration STARTUP = Duration.ofSeconds(60);
    static final Pattern SESSION_COOKIE = Pattern.compile("JSESSIONID=([^;]*)");

    static RedisServer redis;
    static final List<App> apps = new ArrayList<>();
    static App a;
    static App b;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One replica: its process, port and log file. */
    record App(String name, Process process, int port, Path log) {
        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        String logTail() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }
    }

    @BeforeAll
    static void startRedisAndTwoReplicas() throws Exception {
        String jar = System.getProperty("demo.jar");
        assertNotNull(jar, "system property demo.jar (set by the failsafe configuration in demo/pom.xml)");
        assertTrue(Files.isRegularFile(Path.of(jar)), "the packaged demo is missing: " + jar);
        redis = RedisServer.start();
        try {
            a = launch("a", jar);
            b = launch("b", jar);
            awaitPing(a);
            awaitPing(b);
        } catch (Throwable e) {
            stopAll();
            throw e;
        }
    }

    @AfterAll
    static void stopAll() {
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
        if (redis != null) {
            redis.stop();
        }
    }

    static App launch(String name, String jar) throws IOException {
        int port = FreePorts.next();
        Path log = Path.of("target", "two-instances-" + name + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Dquarkus.http.port=" + port,
                "-Dquarkus.redis.hosts=" + redis.uri(), "-jar", jar)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        App app = new App(name, process, port, log);
        apps.add(app);
        // Also when the test JVM is stopped before @AfterAll runs (Ctrl-C on Maven).
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-replica-" + name));
        return app;
    }

    /** Polls {@code /demo/ping} until it answers, the process dies, or the deadline passes. */
    static void awaitPing(App app) {
        Poll.until(STARTUP, "replica " + app.name() + " to answer /demo/ping (log: " + app.log() + ")", () -> {
            if (!app.process().isAlive()) {
                throw new AssertionError("replica " + app.name() + " exited with " + app.process().exitValue()
                        + "; log:\n" + app.logTail());
            }
            try {
                HttpResponse<String> pong = http.send(HttpRequest.newBuilder(app.uri("/demo/ping"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                return pong.statusCode() + " " + pong.body();
            } catch (IOException notListeningYet) {
                return notListeningYet.toString(); // connection refused while the app starts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, "200 pong"::equals);
    }

    // ---- the tests, in order: the last one takes Redis away ------------------------------------------------------

    @Test
    @Order(1)
    void aSessionMadeOnOneReplicaIsTheSameSessionOnTheOther() throws Exception {
        Reply login = send(a, "POST", "/demo/login", null,
                "{\"user_id\":\"u-1\",\"email\":\"a@example.com\",\"name\":\"A\",\"roles\":[\"user\"]}");
        assertEquals(200, login.status(), login.toString());
        String id = login.sessionId();
        assertNotNull(id, "login on A sets the cookie");

        Reply me = send(b, "GET", "/demo/me", id, null);
        assertEquals(200, me.status(), me.toString());
        assertEquals("u-1", me.json().get("user_id").textValue());
        assertEquals("a@example.com", me.json().get("email").textValue());

        App[] order = { a, b, a, b };
        for (int i = 0; i < order.length; i++) {
            Reply counter = send(order[i], "POST", "/demo/counter", id, null);
            assertEquals(200, counter.status(), counter.toString());
            assertEquals(String.valueOf(i + 1), counter.body(),
                    "counter on " + order[i].name() + " sees every earlier increment");
        }

        assertEquals(204, send(b, "PUT", "/demo/attributes/theme", id, "{\"color\":\"dark\"}").status());
        Reply theme = send(a, "GET", "/demo/attributes/theme", id, null);
        assertEquals(200, theme.status(), theme.toString());
        assertEquals(JSON.readTree("{\"color\":\"dark\"}"), theme.json());

        assertEquals(204, send(b, "POST", "/demo/logout", id, null).status());
        Reply afterLogout = send(a, "GET", "/demo/me", id, null);
        assertEquals(401, afterLogout.status(), "logout on B ends the session on A: " + afterLogout);
    }

    @Test
    @Order(2)
    void bothReplicasAnswer503WithoutRedisAndResumeWhenItIsBack() throws Exception {
        Reply login = send(a, "POST", "/demo/login", null, "{\"user_id\":\"u-2\"}");
        assertEquals(200, login.status(), login.toString());
        String id = login.sessionId();

        redis.stop();
        for (App app : List.of(a, b)) {
            Reply me = send(app, "GET", "/demo/me", id, null);
            assertEquals(503, me.status(), app.name() + ": " + me);
            assertEquals("session_store_unavailable", me.json().get("error").textValue());
            String message = me.json().get("message").textValue();
            assertTrue(message.contains("GETEX") && message.contains("refused"), "says what failed: " + me);
            // Where Redis runs is for the operator, not the client: the log names it, the body does not.
            assertFalse(message.contains(String.valueOf(redis.port())), "no Redis address in the body: " + me);
            awaitLogLine(app, "Redis session store at " + redis.uri() + " failed GETEX");
            Reply ping = send(app, "GET", "/demo/ping", id, null);
            assertEquals(200, ping.status(), "a request that does not use its session works without Redis");
            assertEquals("pong", ping.body());
        }

        redis.restart(); // same port; persistence is off, so every session is gone
        Reply again = send(a, "POST", "/demo/login", null, "{\"user_id\":\"u-3\"}");
        assertEquals(200, again.status(), "login on A after Redis came back: " + again + "\n" + a.logTail());
        Reply me = send(b, "GET", "/demo/me", again.sessionId(), null);
        assertEquals(200, me.status(), "B reads it after Redis came back: " + me + "\n" + b.logTail());
        assertEquals("u-3", me.json().get("user_id").textValue());
        assertEquals(401, send(b, "GET", "/demo/me", id, null).status(), "the session from before the outage is gone");
    }

    /** Polls the replica's log until a line contains {@code text} (the console handler flushes each line). */
    static void awaitLogLine(App app, String text) {
        Poll.until(Duration.ofSeconds(5), "replica " + app.name() + " to log '" + text + "' (log: " + app.log() + ")",
                () -> {
                    try {
                        return Files.readString(app.log(), StandardCharsets.UTF_8).contains(text);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    // ---- HTTP -------------------------------------------------------------------------------------------------

    record Reply(int status, String body, String sessionId) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }
    }

    /** One request with the session cookie (unless {@code null}); returns the session id the response sets, if any. */
    static Reply send(App app, String method, String path, String sessionId, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (sessionId != null) {
            request.header("Cookie", "JSESSIONID=" + sessionId);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String setCookie = null;
        for (String header : response.headers().allValues("Set-Cookie")) {
            Matcher m = SESSION_COOKIE.matcher(header);
            if (m.find()) {
                setCookie = m.group(1);
            }
        }
        return new Reply(response.statusCode(), response.body(), setCookie);
    }
}
