package dev.redissession.admin.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.deployment.TestApps;
import dev.redissession.runtime.keys.SessionIds;
import dev.redissession.runtime.store.SessionRedis;
import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * The admin role is configurable, and a purge under a custom key prefix removes exactly the tenant's keys (glob
 * characters cannot occur in a prefix: startup rejects them, see {@code ConfigFailFastTest}).
 */
class PurgeAdminConfigTest {

    static final RedisServer REDIS = TestRedis.standalone();
    static final String PREFIX = "pc.t:";

    @RegisterExtension
    static final QuarkusUnitTest TEST = AdminClient.withUsers(TestApps.on(REDIS, AdminClient.class)
            .overrideConfigKey("quarkus.redis-session.key-prefix", PREFIX)
            .overrideConfigKey("quarkus.redis-session.admin.role", "ops"), "session-admin")
            .overrideConfigKey("quarkus.security.users.embedded.users.operator", "operator")
            .overrideConfigKey("quarkus.security.users.embedded.roles.operator", "ops");

    @Inject
    SessionRedis redis;

    @Test
    void theConfiguredRoleIsRequiredInsteadOfTheDefault() {
        given().auth().preemptive().basic("admin", "admin").get("/admin/sessions/tenants/cfg").then().statusCode(403);
        given().auth().preemptive().basic("operator", "operator").get("/admin/sessions/tenants/cfg").then()
                .statusCode(200).body("sessions", equalTo(0));
    }

    @Test
    void onlyTheTenantsKeysUnderThePrefixArePurged() {
        List<String> mine = List.of(PREFIX + "cfg:" + SessionIds.generate(), PREFIX + "cfg:" + SessionIds.generate());
        // Same tenant under a longer prefix, and a tenant whose name starts with the purged one's.
        List<String> lookalikes = List.of("pc.tx:cfg:" + SessionIds.generate(), PREFIX + "cfgx:" + SessionIds.generate());
        mine.forEach(key -> send(Request.cmd(Command.SET).arg(key).arg("{}").arg("PX").arg(600_000)));
        lookalikes.forEach(key -> send(Request.cmd(Command.SET).arg(key).arg("{}").arg("PX").arg(600_000)));
        try {
            given().auth().preemptive().basic("operator", "operator").get("/admin/sessions/tenants/cfg").then()
                    .statusCode(200).body("sessions", equalTo(2));
            String id = given().auth().preemptive().basic("operator", "operator")
                    .post("/admin/sessions/tenants/cfg/purge").then().statusCode(202).extract().path("id");
            String state = Poll.until(Duration.ofSeconds(30), "the end of purge " + id,
                    () -> given().auth().preemptive().basic("operator", "operator").get("/admin/sessions/purges/" + id)
                            .then().statusCode(200).extract().<String> path("state"),
                    s -> !"running".equals(s));
            assertEquals("completed", state);
            mine.forEach(key -> assertEquals(0L, send(Request.cmd(Command.EXISTS).arg(key)).toLong(), key));
            lookalikes.forEach(key -> assertEquals(1L, send(Request.cmd(Command.EXISTS).arg(key)).toLong(), key));
        } finally {
            lookalikes.forEach(key -> send(Request.cmd(Command.DEL).arg(key)));
        }
    }

    private io.vertx.mutiny.redis.client.Response send(Request request) {
        return redis.client().send(request).await().atMost(Duration.ofSeconds(10));
    }
}
