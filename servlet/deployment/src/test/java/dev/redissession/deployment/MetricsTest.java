package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.PurgeJob;
import dev.redissession.PurgeState;
import dev.redissession.TenantPurge;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * The session meters in {@code /q/metrics} (Prometheus) count what the store did: sessions created, rotated,
 * invalidated, expired, merged writes, failures by kind, commands, stored sizes and purges. No tenant tag by default.
 */
class MetricsTest {

    static final RedisServer REDIS = TestRedis.standalone();
    private static final String TENANT = "metrics-test";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.with(TestApps.on(REDIS, SessionServlet.class, Sessions.class),
            TestApps.PROMETHEUS)
            .overrideConfigKey("quarkus.redis-session.tenant.default", TENANT)
            .overrideConfigKey("quarkus.redis-session.max-size", "1K");

    @Inject
    TenantPurge purge;

    @Test
    void everyEventIsCounted() throws Exception {
        String id = Sessions.put(null, "a", "1");
        Sessions.put(id, "b", "2");
        String rotated = given().cookie("JSESSIONID", id).post("/s/rotate").then().statusCode(200).extract()
                .cookie("JSESSIONID");

        // A write that finds the session changed meanwhile merges onto it.
        SessionServlet.hold("merger");
        CompletableFuture<Integer> merger = CompletableFuture.supplyAsync(() -> given()
                .cookie("JSESSIONID", rotated).body("\"green\"").put("/s/attr/color?hold=merger").statusCode());
        SessionServlet.awaitLoaded("merger");
        Sessions.put(rotated, "color", "\"blue\"");
        SessionServlet.release("merger");
        assertEquals(204, merger.get());

        // A write to a session invalidated meanwhile is refused: gone.
        SessionServlet.hold("late");
        CompletableFuture<Integer> late = CompletableFuture.supplyAsync(() -> given()
                .cookie("JSESSIONID", rotated).body("1").put("/s/attr/late?hold=late").statusCode());
        SessionServlet.awaitLoaded("late");
        given().cookie("JSESSIONID", rotated).post("/s/invalidate").then().statusCode(204);
        SessionServlet.release("late");
        assertEquals(409, late.get());

        String big = Sessions.put(null, "x", "\"" + "x".repeat(600) + "\"");
        given().cookie("JSESSIONID", big).body("\"" + "y".repeat(600) + "\"").put("/s/attr/y").then().statusCode(413);

        String corrupt = "corruptcorruptcorruptcorrupt0001";
        REDIS.cli("SET", "session:" + TENANT + ":" + corrupt, "not json", "PX", "60000");
        given().cookie("JSESSIONID", corrupt).get("/s/attr/a").then().statusCode(401);
        String old = "expiredexpiredexpiredexpired0001";
        REDIS.cli("SET", "session:" + TENANT + ":" + old, "{\"created_at\":\"2020-01-01T00:00:00Z\"}", "PX", "60000");
        given().cookie("JSESSIONID", old).get("/s/attr/a").then().statusCode(401);

        PurgeJob job = purge.purgeToEnd(TENANT).await().indefinitely();
        assertEquals(PurgeState.COMPLETED, job.state());
        assertTrue(job.deleted() >= 2, "the big session and the corrupt key were purged: " + job);

        Response metrics = given().get("/q/metrics");
        metrics.then().statusCode(200);
        String text = metrics.asString();
        assertEquals(2.0, value(text, "redis_session_created_total", ""), "two sessions created");
        assertEquals(2.0, value(text, "redis_session_anonymous_created_total", ""), "both without user_id");
        assertEquals(1.0, value(text, "redis_session_rotated_total", ""));
        assertEquals(1.0, value(text, "redis_session_invalidated_total", ""));
        assertEquals(1.0, value(text, "redis_session_expired_total", ""));
        assertEquals(1.0, value(text, "redis_session_write_conflicts_total", ""));
        assertEquals(1.0, value(text, "redis_session_errors_total", "error=\"gone\""));
        assertEquals(1.0, value(text, "redis_session_errors_total", "error=\"too_large\""));
        assertEquals(1.0, value(text, "redis_session_errors_total", "error=\"corrupt\""));
        assertEquals((double) job.deleted(), value(text, "redis_session_purge_deleted_total", ""));
        assertEquals(1.0, value(text, "redis_session_purge_jobs", "state=\"completed\""));
        assertEquals(0.0, value(text, "redis_session_purge_jobs", "state=\"running\""));
        // created 2, a second attribute, the rotation's write, the merge's write, the blue write
        assertEquals(6.0, value(text, "redis_session_size_bytes_count", ""), "every written value measured");
        assertTrue(value(text, "redis_session_size_bytes_max", "") > 600, "the big session's bytes");
        for (String command : List.of("GETEX", "EVALSHA CREATE-SESSION", "EVALSHA WRITE-SESSION", "EVALSHA END-SESSION")) {
            assertTrue(value(text, "redis_session_command_seconds_count", "command=\"" + command + "\"") >= 1,
                    command + " is timed");
        }
        assertTrue(text.lines().filter(l -> l.startsWith("redis_session_")).noneMatch(l -> l.contains("tenant=")),
                "no tenant tag unless enabled");
    }

    /** The value of the sample {@code name} whose labels contain {@code label}. */
    private static double value(String prometheus, String name, String label) {
        List<String> samples = prometheus.lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{") && l.contains(label)).toList();
        assertEquals(1, samples.size(), "one sample " + name + " " + label + " in:\n" + prometheus.lines()
                .filter(l -> l.startsWith("redis_session")).toList());
        String sample = samples.get(0);
        return Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
    }
}
