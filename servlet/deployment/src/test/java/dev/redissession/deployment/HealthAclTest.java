package dev.redissession.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * The readiness check names what a restricted Redis user lacks: a command (EVALSHA) or the purge fence key outside a
 * per-tenant key pattern. The app connects as one user whose rights each test changes (Redis applies ACL changes to
 * open connections at once); a server of its own, since it defines users.
 */
class HealthAclTest {

    static final RedisServer REDIS = TestRedis.dedicated("health-acl-test");
    private static final String USER = "sessions";
    private static final String FULL_KEYS = "~session:*";

    static {
        // Before the app starts (static fields initialise in order); idempotent for the second class loader.
        grant("reset", "on", ">secret", FULL_KEYS, "+@all");
    }

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.with(TestApps.app(Health.class), TestApps.HEALTH)
            .overrideConfigKey("quarkus.redis.hosts", "redis://" + USER + ":secret@" + REDIS.host() + ":" + REDIS.port())
            .overrideConfigKey("quarkus.redis-session.tenant.default", "acme")
            .overrideConfigKey("quarkus.redis-session.health.timeout", "3S");

    /** {@code ACL SETUSER sessions <rules>}. */
    private static void grant(String... rules) {
        String[] command = new String[rules.length + 3];
        command[0] = "ACL";
        command[1] = "SETUSER";
        command[2] = USER;
        System.arraycopy(rules, 0, command, 3, rules.length);
        REDIS.cli(command);
    }

    @AfterAll
    static void stopRedis() {
        REDIS.stop();
    }

    @Test
    void aUserWithEveryRightIsReady() {
        Health.ready().then().statusCode(200);
    }

    @Test
    void aUserWithoutEvalshaIsNotReadyAndTheCommandIsNamed() {
        grant("-evalsha");
        try {
            String reason = downReason();
            assertTrue(reason.contains("NOPERM: the Redis user may not run EVALSHA"), reason);
        } finally {
            grant("+evalsha");
        }
    }

    @Test
    void aUserLimitedToOneTenantsKeysIsNotReadyAndTheFenceKeyIsNamed() {
        grant("resetkeys", "~session:acme:*");
        try {
            String reason = downReason();
            assertTrue(reason.contains("NOPERM: the Redis user may not access the purge fence key session:#purge:acme"),
                    reason);
        } finally {
            grant("resetkeys", FULL_KEYS);
        }
    }

    private static String downReason() {
        Response ready = Health.ready();
        ready.then().statusCode(503);
        assertEquals("DOWN", Health.storeStatus(ready));
        return Health.storeData(ready).get("reason");
    }
}
