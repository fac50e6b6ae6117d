package dev.redissession.admin.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.TenantPurge;
import dev.redissession.deployment.TestApps;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/** With {@code quarkus.redis-session.admin.enabled=false} there is no admin API; the Java API is still there. */
class PurgeAdminDisabledTest {

    static final RedisServer REDIS = TestRedis.standalone();

    @RegisterExtension
    static final QuarkusUnitTest TEST = AdminClient.withUsers(TestApps.on(REDIS, AdminClient.class)
            .overrideConfigKey("quarkus.redis-session.key-prefix", "purge-off:")
            .overrideConfigKey("quarkus.redis-session.admin.enabled", "false"), "session-admin");

    @Inject
    TenantPurge purge;

    @Test
    void switchedOffTheAdminApiIsAbsent() {
        given().auth().preemptive().basic("admin", "admin").get("/admin/sessions/tenants/off").then().statusCode(404);
        given().auth().preemptive().basic("admin", "admin").get("/admin/sessions/purges/00000000-0000-0000-0000-000000000000")
                .then().statusCode(404);
        // No resource: the servlet container's default handler answers (405 for a POST it does not serve).
        given().auth().preemptive().basic("admin", "admin").post("/admin/sessions/tenants/off/purge").then()
                .statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(404), org.hamcrest.Matchers.is(405)));
        assertEquals(null, purge.job("x").await().atMost(Duration.ofSeconds(10)).orElse(null));
        assertEquals(0L, purge.countSessions("off").await().atMost(Duration.ofSeconds(10)));
    }
}
