package dev.redissession.admin.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.SessionStoreUnavailableException;
import dev.redissession.TenantPurge;
import dev.redissession.deployment.TestApps;
import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisCluster;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * The session store's client is not a cluster client, but its host is a cluster node: a SCAN would only see that
 * node, so the count (and a purge) refuse instead of reporting a partial answer. The admin API answers 503 without
 * any Redis address.
 */
class PurgeClusterMisconfiguredTest {

    static final RedisCluster CLUSTER = TestRedis.cluster();
    static final String PREFIX = "purge-mis:";

    @RegisterExtension
    static final QuarkusUnitTest TEST = AdminClient.withUsers(
            TestApps.on(CLUSTER.nodes().get(0), AdminClient.class)
                    .overrideConfigKey("quarkus.redis-session.key-prefix", PREFIX),
            "session-admin");

    @Inject
    TenantPurge purge;

    @Test
    void countAndPurgeRefuseAClusterBehindANonClusterClient() {
        SessionStoreUnavailableException refused = assertThrows(SessionStoreUnavailableException.class,
                () -> purge.countSessions("acme").await().atMost(Duration.ofSeconds(10)));
        assertEquals("cluster_changed", refused.errorCode());
        assertTrue(refused.getMessage().contains("client-type=cluster"), refused.getMessage());

        given().header("Authorization", AdminClient.basic("admin", "admin")).get("/admin/sessions/tenants/acme")
                .then().statusCode(503).contentType("application/json")
                .header("Retry-After", nullValue()) // a setup error: retrying soon does not help
                .body("error", equalTo("cluster_changed")).body("message", containsString("client-type=cluster"))
                .body("message", not(containsString("127.0.0.1")));

        // The start writes keys that other masters own (MOVED, 503) or runs into the same refusal: never completes.
        Response started = given().header("Authorization", AdminClient.basic("admin", "admin"))
                .post("/admin/sessions/tenants/acme/purge");
        assertFalse(started.asString().contains("127.0.0.1"), started.asString());
        if (started.statusCode() == 202) {
            String id = started.path("id");
            Poll.until(Duration.ofSeconds(60), "the job ends", () -> !"running".equals(given()
                    .header("Authorization", AdminClient.basic("admin", "admin"))
                    .get("/admin/sessions/purges/" + id).path("state")));
            Response end = given().header("Authorization", AdminClient.basic("admin", "admin"))
                    .get("/admin/sessions/purges/" + id);
            end.then().statusCode(200).body("state", equalTo("failed"));
            assertFalse(end.asString().contains("127.0.0.1"), end.asString());
        } else {
            started.then().statusCode(503).body("error", equalTo("session_store_unavailable"));
        }
    }
}
