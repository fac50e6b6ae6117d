package dev.redissession.demo;

import static dev.redissession.testing.contract.ContractRequests.json;
import static dev.redissession.testing.contract.ContractRequests.login;
import static dev.redissession.testing.contract.ContractRequests.redis;
import static dev.redissession.testing.contract.ContractRequests.request;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * What only the demo has, against a real Redis (the shared test server, see {@link RedisTestResource}): the admin API,
 * health and metrics. The session contract, which every door answers alike, is {@link DemoSessionContractTest}.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class DemoTest {

    // ---- admin API ------------------------------------------------------------------------------------------------

    @Test
    void theAdminApiNeedsTheSessionAdminRole() {
        String tenant = "count-" + UUID.randomUUID().toString().substring(0, 8);
        login(tenant, null);
        login(tenant, null);
        given().get("/admin/sessions/tenants/" + tenant).then().statusCode(401);
        given().auth().preemptive().basic("user", "user").get("/admin/sessions/tenants/" + tenant).then()
                .statusCode(403);
        given().auth().preemptive().basic("admin", "wrong").get("/admin/sessions/tenants/" + tenant).then()
                .statusCode(401);
        Response count = given().auth().preemptive().basic("admin", "admin").get("/admin/sessions/tenants/" + tenant);
        count.then().statusCode(200);
        assertEquals(2, json(count).get("sessions").intValue(), count.asString());
    }

    @Test
    void anAdminPurgeLogsTheWholeTenantOut() {
        String tenant = "purge-" + UUID.randomUUID().toString().substring(0, 8);
        String a = login(tenant, null);
        String b = login(tenant, null);
        String bystander = login("bystander", null);

        Response started = given().auth().preemptive().basic("admin", "admin")
                .post("/admin/sessions/tenants/" + tenant + "/purge");
        started.then().statusCode(202);
        String job = json(started).get("id").textValue();

        JsonNode state = Poll.until(Duration.ofSeconds(20), "the end of purge " + job,
                () -> json(given().auth().preemptive().basic("admin", "admin").get("/admin/sessions/purges/" + job)
                        .then().statusCode(200).extract().response()),
                s -> !"running".equals(s.get("state").textValue()));
        assertEquals("completed", state.get("state").textValue(), state.toString());
        assertEquals(2, state.get("deleted").intValue(), state.toString());
        // The job stores its end before it releases the tenant's lock: wait for that, so no command of the job
        // lands in another test's command count.
        Poll.until(Duration.ofSeconds(20), "purge " + job + " to release its lock",
                () -> "0".equals(redis().cli("EXISTS", "session:#purge-lock:" + tenant)));

        request(tenant, a).get("/demo/me").then().statusCode(401);
        request(tenant, b).get("/demo/me").then().statusCode(401);
        request("bystander", bystander).get("/demo/me").then().statusCode(200);
        // One SessionEnded per deleted session, told on a worker after each page.
        Poll.until(Duration.ofSeconds(10), "the purge's two ends in /demo/ended/recent",
                () -> recentEnds(tenant, "purged"), count -> count == 2);
    }

    // ---- session ends (SessionEnded) ------------------------------------------------------------------------------

    @Test
    void aLogoutIsOneInvalidatedEndNamedByHandle() {
        String tenant = "ends-" + UUID.randomUUID().toString().substring(0, 8);
        long before = ended("invalidated");
        String id = request(tenant, null).body("{\"user_id\":\"u-ends\"}").post("/demo/login").then().statusCode(200)
                .extract().cookie("JSESSIONID");
        request(tenant, id).post("/demo/logout").then().statusCode(204);
        request(tenant, id).post("/demo/logout").then().statusCode(204);

        assertEquals(before + 1, ended("invalidated"), "one logout, one end (the second found no session)");
        JsonNode last = json(given().get("/demo/ended/recent").then().statusCode(200).extract().response()).get(0);
        assertEquals(tenant, last.get("tenant").textValue(), last.toString());
        assertEquals("u-ends", last.get("user_id").textValue(), last.toString());
        assertEquals("invalidated", last.get("reason").textValue(), last.toString());
        assertEquals(16, last.get("handle").textValue().length(), last.toString());
        assertTrue(!last.toString().contains(id), "the session id (a secret) is not shown: " + last);
    }

    private static long ended(String reason) {
        JsonNode counts = json(given().get("/demo/ended").then().statusCode(200).extract().response());
        return counts.has(reason) ? counts.get(reason).longValue() : 0;
    }

    private static long recentEnds(String tenant, String reason) {
        JsonNode recent = json(given().get("/demo/ended/recent").then().statusCode(200).extract().response());
        long count = 0;
        for (JsonNode end : recent) {
            if (tenant.equals(end.get("tenant").textValue()) && reason.equals(end.get("reason").textValue())) {
                count++;
            }
        }
        return count;
    }

    // ---- health and metrics ---------------------------------------------------------------------------------------

    @Test
    void readinessNamesTheSessionStoreUp() throws Exception {
        Response ready = given().get("/q/health/ready");
        ready.then().statusCode(200);
        JsonNode store = null;
        for (JsonNode check : json(ready).get("checks")) {
            if ("Redis session store".equals(check.get("name").asText())) {
                store = check;
            }
        }
        assertNotNull(store, "the session store's check is part of readiness: " + ready.asString());
        assertEquals("UP", store.get("status").asText());
        assertEquals("standalone", store.get("data").get("topology").asText());
    }

    @Test
    void metricsCountTheCreatedSessions() {
        login(null, null);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        double created = metrics.lines().filter(l -> l.startsWith("redis_session_created_total "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertTrue(created >= 1, "a login creates a session, counted in /q/metrics:\n" + metrics);
        assertTrue(metrics.contains("redis_session_command_seconds_count{command=\"EVALSHA CREATE-SESSION\"}"),
                "commands are timed");
    }
}
