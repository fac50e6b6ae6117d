package dev.redissession.admin.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redissession.deployment.TestApps;
import dev.redissession.runtime.keys.SessionIds;
import dev.redissession.runtime.store.SessionRedis;
import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * The admin REST API end to end: authorization, start / follow (SSE) / cancel, errors, jobs of other replicas.
 */
class PurgeAdminApiTest {

    static final RedisServer REDIS = TestRedis.standalone();
    static final String PREFIX = "purge-api:";
    /** Sessions of the tenant whose purge is cancelled while it runs. */
    private static final int SLOW_SESSIONS = 2000;

    @RegisterExtension
    static final QuarkusUnitTest TEST = AdminClient.withUsers(TestApps.on(REDIS, AdminClient.class)
            .overrideConfigKey("quarkus.redis-session.key-prefix", PREFIX)
            .overrideConfigKey("quarkus.redis-session.purge.scan-count", "20")
            .overrideConfigKey("quarkus.redis-session.purge.rate-limit", "100"), "session-admin");

    @Inject
    SessionRedis redis;
    @TestHTTPResource("/")
    URL base;

    private static RequestSpecification admin() {
        return given().header("Authorization", AdminClient.basic("admin", "admin"));
    }

    @Test
    void everyEndpointNeedsTheAdminRole() {
        String job = "/admin/sessions/purges/00000000-0000-0000-0000-000000000000";
        for (String user : new String[] { null, "user", "admin-wrong-password" }) {
            int expected = "user".equals(user) ? 403 : 401;
            RequestSpecification anyone = user == null ? given()
                    : given().header("Authorization", user.startsWith("admin")
                            ? AdminClient.basic("admin", "wrong")
                            : AdminClient.basic("user", "user"));
            anyone.post("/admin/sessions/tenants/api-auth/purge").then().statusCode(expected);
            anyone.get("/admin/sessions/tenants/api-auth").then().statusCode(expected);
            anyone.get(job).then().statusCode(expected);
            anyone.get(job + "/events").then().statusCode(expected);
            anyone.delete(job).then().statusCode(expected);
        }
        assertNull(cmd(Request.cmd(Command.GET).arg(PREFIX + "#purge-lock:api-auth")), "no purge was started");
    }

    @Test
    void purgeRunsAndItsProgressIsStreamedUntilTheEnd() {
        seed("api-acme", 150);
        seed("api-acme2", 30);
        admin().get("/admin/sessions/tenants/api-acme").then().statusCode(200)
                .body("tenant", equalTo("api-acme")).body("sessions", equalTo(150));

        Response started = admin().post("/admin/sessions/tenants/api-acme/purge");
        started.then().statusCode(202)
                .header("Location", endsWith("/admin/sessions/purges/" + started.path("id")))
                .body("id", matchesPattern("[0-9a-f-]{36}")).body("tenant", equalTo("api-acme"))
                .body("state", equalTo("running")).body("scanned", notNullValue()).body("deleted", notNullValue())
                .body("started_at", notNullValue()).body("finished_at", nullValue());
        String id = started.path("id");
        Instant.parse(started.path("started_at")); // RFC 3339

        List<JsonNode> events = new AdminClient(base).events("/admin/sessions/purges/" + id + "/events", "admin",
                "admin").awaitEnd();
        assertTrue(events.size() >= 3, "progress events while the job runs: " + events);
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            assertEquals(id, event.get("id").asText());
            assertEquals(i == events.size() - 1 ? "completed" : "running", event.get("state").asText(), "" + events);
            if (i > 0) {
                assertTrue(event.get("deleted").asLong() >= events.get(i - 1).get("deleted").asLong());
            }
        }
        assertEquals(150, events.get(events.size() - 1).get("deleted").asLong());

        admin().get(started.header("Location")).then().statusCode(200).body("state", equalTo("completed"))
                .body("deleted", equalTo(150)).body("finished_at", notNullValue()).body("error", nullValue());
        admin().get("/admin/sessions/tenants/api-acme").then().statusCode(200).body("sessions", equalTo(0));
        admin().get("/admin/sessions/tenants/api-acme2").then().statusCode(200).body("sessions", equalTo(30));
        // The stream of a job that already ended is its final state.
        List<JsonNode> after = new AdminClient(base).events("/admin/sessions/purges/" + id + "/events", "admin",
                "admin").awaitEnd();
        assertEquals(1, after.size());
        assertEquals("completed", after.get(0).get("state").asText());
    }

    @Test
    void badTenantsAndUnknownJobsAreJsonErrors() {
        for (String bad : new String[] { "ac*me", "ac%3Fme", "%5Bacme%5D", "ac%5Cme", "a:b" }) {
            admin().urlEncodingEnabled(false).post("/admin/sessions/tenants/" + bad + "/purge").then().statusCode(400)
                    .contentType("application/json").body("error", equalTo("invalid_tenant"))
                    .body("message", containsString("Invalid tenant id"));
            admin().urlEncodingEnabled(false).get("/admin/sessions/tenants/" + bad).then().statusCode(400)
                    .body("error", equalTo("invalid_tenant"));
        }
        for (String id : new String[] { "00000000-0000-0000-0000-000000000000", "nope" }) {
            admin().get("/admin/sessions/purges/" + id).then().statusCode(404).contentType("application/json")
                    .body("error", equalTo("unknown_purge"));
            admin().delete("/admin/sessions/purges/" + id).then().statusCode(404).body("error", equalTo("unknown_purge"));
            admin().header("Accept", "text/event-stream").get("/admin/sessions/purges/" + id + "/events").then()
                    .statusCode(404);
        }
    }

    @Test
    void secondStartIsAConflictAndCancelStopsTheJob() {
        // 20 s of work at 100 keys/s: the job outlives the three requests below on any machine, however loaded.
        seed("api-slow", SLOW_SESSIONS);
        Response started = admin().post("/admin/sessions/tenants/api-slow/purge");
        started.then().statusCode(202);
        String id = started.path("id");
        admin().post("/admin/sessions/tenants/api-slow/purge").then().statusCode(409)
                .contentType("application/json").body("error", equalTo("purge_running")).body("job_id", equalTo(id))
                .body("message", containsString(id));

        admin().delete("/admin/sessions/purges/" + id).then().statusCode(202).body("id", equalTo(id));
        JsonNode end = awaitEnd(id);
        assertEquals("cancelled", end.get("state").asText());
        long left = admin().get("/admin/sessions/tenants/api-slow").then().statusCode(200).extract()
                .jsonPath().getLong("sessions");
        assertEquals(SLOW_SESSIONS - end.get("deleted").asLong(), left);
        assertTrue(left > 0, "cancelled before the end (rate limit 100 keys/s)");
        assertNull(cmd(Request.cmd(Command.GET).arg(PREFIX + "#purge:api-slow")), "a cancelled purge drops its fence");
        assertNull(cmd(Request.cmd(Command.GET).arg(PREFIX + "#purge-lock:api-slow")));
        admin().delete("/admin/sessions/purges/" + id).then().statusCode(200).body("state", equalTo("cancelled"));

        // Running it again finishes the job; on a few of the sessions left, so that it takes a fraction of a second.
        keepOnly("api-slow", 30);
        String again = admin().post("/admin/sessions/tenants/api-slow/purge").then().statusCode(202).extract().path("id");
        assertEquals("completed", awaitEnd(again).get("state").asText());
        admin().get("/admin/sessions/tenants/api-slow").then().statusCode(200).body("sessions", equalTo(0));
    }

    /** A job another replica runs is read from Redis: state, cancel flag, events, and abandonment. */
    @Test
    void jobsOfOtherReplicasAreAnsweredFromRedis() {
        String id = "11111111-2222-3333-4444-555555555555";
        String jobKey = PREFIX + "#purge-job:" + id;
        String lockKey = PREFIX + "#purge-lock:api-remote";
        cmd(Request.cmd(Command.SET).arg(lockKey).arg(id).arg("PX").arg(60_000));
        storeJob(jobKey, id, "running", 10, null);
        try {
            admin().get("/admin/sessions/purges/" + id).then().statusCode(200).body("state", equalTo("running"))
                    .body("deleted", equalTo(10));
            AdminClient.EventStream events = new AdminClient(base).events("/admin/sessions/purges/" + id + "/events",
                    "admin", "admin");
            Poll.until(Duration.ofSeconds(60), "the first event", () -> !events.received().isEmpty());
            assertEquals(10, events.received().get(0).get("deleted").asLong());
            admin().delete("/admin/sessions/purges/" + id).then().statusCode(202);
            assertEquals("1", cmd(Request.cmd(Command.HGET).arg(jobKey).arg("cancel")).toString(),
                    "the running replica reads the cancel flag from Redis");
            storeJob(jobKey, id, "running", 20, null);
            Poll.until(Duration.ofSeconds(60), "the stream polls the new state from Redis",
                    () -> events.received().stream().anyMatch(event -> event.get("deleted").asLong() == 20));
            storeJob(jobKey, id, "cancelled", 25, Instant.now());
            List<JsonNode> seen = events.awaitEnd();
            assertEquals("cancelled", seen.get(seen.size() - 1).get("state").asText());
            assertEquals(25, seen.get(seen.size() - 1).get("deleted").asLong());
            assertEquals(3, seen.size(), "one event per change: " + seen);

            // Running, but its replica is gone (its lock expired): reported failed.
            storeJob(jobKey, id, "running", 30, null);
            cmd(Request.cmd(Command.DEL).arg(lockKey));
            admin().get("/admin/sessions/purges/" + id).then().statusCode(200).body("state", equalTo("failed"))
                    .body("error", containsString("abandoned")).body("deleted", equalTo(30));
        } finally {
            cmd(Request.cmd(Command.DEL).arg(lockKey).arg(jobKey));
        }
    }

    private void storeJob(String jobKey, String id, String state, int deleted, Instant finished) {
        String json = "{\"id\":\"" + id + "\",\"tenant\":\"api-remote\",\"state\":\"" + state + "\",\"scanned\":"
                + deleted + ",\"deleted\":" + deleted + ",\"pages\":3,\"started_at\":\"2026-01-01T00:00:00Z\","
                + "\"finished_at\":" + (finished == null ? "null" : "\"" + finished + "\"")
                + ",\"elapsed_ms\":5,\"error\":null}";
        cmd(Request.cmd(Command.HSET).arg(jobKey).arg("job").arg(json));
        cmd(Request.cmd(Command.PEXPIRE).arg(jobKey).arg(60_000));
    }

    private JsonNode awaitEnd(String id) {
        Response ended = Poll.until(Duration.ofSeconds(60), "the end of purge " + id,
                () -> admin().get("/admin/sessions/purges/" + id),
                response -> response.statusCode() == 200 && !"running".equals(response.path("state")));
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(ended.asString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes the tenant's sessions directly, all but {@code kept} of them. */
    private void keepOnly(String tenant, int kept) {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            io.vertx.mutiny.redis.client.Response page = cmd(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH")
                    .arg(PREFIX + tenant + ":*").arg("COUNT").arg(1000));
            cursor = page.get(0).toString();
            page.get(1).forEach(key -> keys.add(key.toString()));
        } while (!"0".equals(cursor));
        if (keys.size() > kept) {
            Request unlink = Request.cmd(Command.UNLINK);
            keys.subList(kept, keys.size()).forEach(unlink::arg);
            cmd(unlink);
        }
    }

    private void seed(String tenant, int n) {
        String now = Instant.now().toString();
        Multi.createFrom().range(0, n)
                .onItem().transformToUni(i -> redis.client().send(Request.cmd(Command.SET)
                        .arg(PREFIX + tenant + ":" + SessionIds.generate())
                        .arg("{\"created_at\":\"" + now + "\"}").arg("PX").arg(600_000)))
                .merge(8).collect().last().await().atMost(Duration.ofSeconds(60));
    }

    private io.vertx.mutiny.redis.client.Response cmd(Request request) {
        return redis.client().send(request).await().atMost(Duration.ofSeconds(10));
    }
}
