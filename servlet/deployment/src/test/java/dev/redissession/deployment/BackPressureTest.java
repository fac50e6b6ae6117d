package dev.redissession.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.quarkus.test.common.http.TestHTTPResource;

/**
 * With the default configuration (the Quarkus Redis client's pool of 6 and wait queue of 24), far more session
 * requests than that pool could hold wait for a paused Redis instead of failing: all of them are answered once it
 * resumes. Uses its own server, since it pauses it.
 */
class BackPressureTest {

    static final RedisServer REDIS = TestRedis.dedicated("back-pressure-test");
    private static final int PER_KIND = 100;
    private static final long PAUSE_MILLIS = 2500;

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionServlet.class, Sessions.class);

    @TestHTTPResource("/s/")
    URI base;

    @AfterAll
    static void stopRedis() {
        REDIS.stop();
    }

    @Test
    void readsWritesAndLoginsWaitForAPausedRedisAndAllSucceed() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3 * PER_KIND; i++) {
            ids.add(Sessions.put(null, "n", String.valueOf(i)));
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        long pausedAt = System.nanoTime();
        REDIS.cli("CLIENT", "PAUSE", String.valueOf(PAUSE_MILLIS), "ALL");
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String kind = i < PER_KIND ? "read" : i < 2 * PER_KIND ? "write" : "login";
            HttpRequest.Builder request = HttpRequest.newBuilder().header("Cookie", "JSESSIONID=" + ids.get(i))
                    .timeout(Duration.ofSeconds(30));
            request = switch (kind) {
                case "read" -> request.uri(base.resolve("attr/n")).GET();
                case "write" -> request.uri(base.resolve("counter")).POST(HttpRequest.BodyPublishers.noBody());
                default -> request.uri(base.resolve("rotate")).POST(HttpRequest.BodyPublishers.noBody());
            };
            answers.add(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> new Answer(kind, response.statusCode(), System.nanoTime())));
        }
        Map<String, Integer> failures = new TreeMap<>();
        long earliest = Long.MAX_VALUE;
        long latest = Long.MIN_VALUE;
        for (CompletableFuture<Answer> future : answers) {
            Answer answer = future.join();
            earliest = Math.min(earliest, answer.at());
            latest = Math.max(latest, answer.at());
            if (answer.status() != 200) {
                failures.merge(answer.kind() + " " + answer.status(), 1, Integer::sum);
            }
        }
        assertEquals(Map.of(), failures, "every request waits for Redis instead of failing (answers came "
                + Duration.ofNanos(earliest - pausedAt).toMillis() + " to " + Duration.ofNanos(latest - pausedAt)
                        .toMillis()
                + " ms after the pause began)");
        assertTrue(Duration.ofNanos(earliest - pausedAt).toMillis() >= PAUSE_MILLIS - 200,
                "the pause held the requests: the first answer came after it");
        for (int i = PER_KIND; i < 2 * PER_KIND; i++) {
            assertTrue(REDIS.cli("GET", "session:default:" + ids.get(i)).contains("\"counter\":1"),
                    "every acknowledged write is stored");
        }
    }

    private record Answer(String kind, int status, long at) {
    }
}
