package dev.redissession.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.contract.AppReplicas;
import dev.redissession.testing.contract.AppReplicas.App;
import dev.redissession.testing.contract.AppReplicas.Reply;

/**
 * SIGTERM while session changes are in flight: the packaged demo ({@link AppReplicas}) gets {@code N} counter
 * increments that Redis holds ({@code CLIENT PAUSE ... WRITE}), one per store connection so Redis shows each one held;
 * then SIGTERM. Readiness goes DOWN at once, the app drains (the extension's default {@code quarkus.shutdown.timeout})
 * and only then closes its Redis connections: every request gets a response, and every change acknowledged with 200
 * is in Redis. Output in {@code target/graceful-shutdown-a.log}.
 */
class GracefulShutdownIT {

    /** Requests in flight at SIGTERM; also the store's connections, so each one's GETEX is held on its own. */
    static final int IN_FLIGHT = 8;
    static final Duration WITHIN = Duration.ofSeconds(30);

    static RedisServer redis;
    static AppReplicas replicas;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        replicas = new AppReplicas("graceful-shutdown");
    }

    @AfterAll
    static void stopAll() {
        if (replicas != null) {
            replicas.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    void changesInFlightAtSigtermAllGetAnAnswerAndEveryAcknowledgedOneIsInRedis() throws Exception {
        // A per-command deadline longer than the hold, so the held requests wait instead of answering 503.
        App app = replicas.start("a", redis.uri(), "quarkus.redis-session.connections=" + IN_FLIGHT,
                "quarkus.redis.max-pool-size=" + (IN_FLIGHT + 4), "quarkus.redis-session.timeout=20s");
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
            Reply login = AppReplicas.send(app.uri("/demo/login"), "POST", null, null, "{\"user_id\":\"u-" + i + "\"}");
            assertEquals(200, login.status(), login.toString());
            sessions.add(login.sessionId());
        }
        assertEquals(200, get(app, "/q/health/ready").status());

        redis.cli("CLIENT", "PAUSE", String.valueOf(WITHIN.toMillis()), "WRITE");
        ExecutorService clients = Executors.newFixedThreadPool(IN_FLIGHT);
        List<CompletableFuture<Reply>> increments = new ArrayList<>();
        try {
            for (String session : sessions) {
                increments.add(CompletableFuture.supplyAsync(() -> post(app, session), clients));
            }
            // Each increment's GETEX waits in Redis, one per connection: all are in flight in the app.
            Poll.until(WITHIN, "Redis to hold " + IN_FLIGHT + " session reads",
                    () -> Integer.parseInt(infoField(redis.cli("INFO", "clients"), "blocked_clients")),
                    held -> held == IN_FLIGHT);

            app.process().destroy(); // SIGTERM
            Reply ready = Poll.until(WITHIN, "readiness to go DOWN", () -> get(app, "/q/health/ready"),
                    reply -> reply.status() == 503);
            assertTrue(ready.body().contains("Graceful Shutdown"), "readiness says why: " + ready);
            app.awaitLog("Waiting for HTTP requests to complete", WITHIN);
            assertTrue(app.process().isAlive(), "the app waits for the requests Redis holds");
        } finally {
            redis.cli("CLIENT", "UNPAUSE");
        }

        int acknowledged = 0;
        int inRedis = 0;
        for (int i = 0; i < IN_FLIGHT; i++) {
            Reply reply = increments.get(i).get(WITHIN.toSeconds(), TimeUnit.SECONDS);
            assertTrue(reply.status() == 200 || reply.status() == 503, "an answer, 200 or a session error: " + reply);
            if (reply.status() == 200) {
                acknowledged++;
                String stored = redis.cli("GET", "session:public:" + sessions.get(i));
                assertTrue(stored.contains("\"counter\":1"), "acknowledged increment " + i + " is in Redis: " + stored);
                inRedis++;
            }
        }
        clients.shutdown();
        assertTrue(app.process().waitFor(WITHIN.toSeconds(), TimeUnit.SECONDS), "the app exits after the drain");
        System.out.printf("Graceful shutdown: %d requests in flight at SIGTERM, %d answered 200, %d of them in Redis,"
                + " exit code %d%n", IN_FLIGHT, acknowledged, inRedis, app.process().exitValue());
        assertEquals(IN_FLIGHT, acknowledged, "the drain lets every held request finish well within the timeout");
    }

    private static Reply post(App app, String session) {
        try {
            return AppReplicas.send(app.uri("/demo/counter"), "POST", null, session, null);
        } catch (Exception e) {
            throw new AssertionError("no answer to a request in flight at SIGTERM: " + e, e);
        }
    }

    private static Reply get(App app, String path) {
        try {
            return AppReplicas.send(app.uri(path), "GET", null, null, null);
        } catch (Exception e) {
            throw new AssertionError("GET " + path + " failed: " + e, e);
        }
    }

    private static String infoField(String info, String name) {
        return info.lines().filter(line -> line.startsWith(name + ":")).map(line -> line.substring(name.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + info));
    }

}
