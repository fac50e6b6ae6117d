package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * {@code quarkus.redis-session.health.kind=wellness} moves the store's check from readiness to {@code /q/health/well};
 * the Redis client's own check, switched back on as docs/kubernetes.md says, is in readiness again.
 */
class HealthWellnessTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.with(TestApps.on(TestRedis.standalone(), Health.class),
            TestApps.HEALTH)
            .overrideConfigKey("quarkus.redis-session.health.kind", "wellness")
            .overrideConfigKey("quarkus.smallrye-health.check.\"io.quarkus.redis.runtime.client.health.RedisHealthCheck\""
                    + ".enabled", "true");

    @Test
    void theStoreIsAWellnessCheckAndTheClientsCheckCanBeSwitchedBackOn() {
        Response well = given().get("/q/health/well");
        well.then().statusCode(200);
        assertEquals("UP", Health.storeStatus(well), well.asString());

        Response ready = Health.ready();
        ready.then().statusCode(200);
        assertFalse(Health.checkNames(ready).contains(dev.redissession.runtime.health.SessionStoreHealthCheck.NAME),
                ready.asString());
        assertTrue(Health.checkNames(ready).contains(Health.REDIS_CLIENT_CHECK), ready.asString());
    }
}
