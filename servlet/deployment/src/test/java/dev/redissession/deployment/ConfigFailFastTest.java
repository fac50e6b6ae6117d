package dev.redissession.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/** Values that used to start fine and fail every request now stop the start, each named with its value and rule. */
class ConfigFailFastTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(TestRedis.standalone(), SessionServlet.class)
            .overrideConfigKey("quarkus.redis-session.max-lifetime", "0S")
            .overrideConfigKey("quarkus.redis-session.idle-timeout", "-5S")
            .overrideConfigKey("quarkus.redis-session.key-prefix", "my sessions*:")
            .overrideConfigKey("quarkus.redis-session.tenant.default", "bad tenant!")
            .overrideConfigKey("quarkus.redis-session.touch-interval", "-1S")
            .overrideConfigKey("quarkus.redis-session.passive-paths", "/ok/*,api/poll,/a/*/b")
            .overrideConfigKey("quarkus.redis-session.anonymous.idle-timeout", "0S")
            .overrideConfigKey("quarkus.redis-session.cookie.name", "__Host-SID")
            .overrideConfigKey("quarkus.redis-session.cookie.domain", "example.com")
            .assertException(ConfigFailFastTest::namesEachValueAndRule);

    private static void namesEachValueAndRule(Throwable thrown) {
        Throwable root = thrown;
        while (!(root instanceof IllegalStateException) && root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        assertTrue(message.startsWith("Invalid Redis session configuration:"), message);
        assertTrue(message.contains("quarkus.redis-session.max-lifetime='PT0S': must be at least PT1S"), message);
        assertTrue(message.contains("quarkus.redis-session.idle-timeout='PT-5S': must be at least PT1S"), message);
        assertTrue(message.contains("quarkus.redis-session.key-prefix='my sessions*:': must be 1 to 64 letters"),
                message);
        assertTrue(message.contains("quarkus.redis-session.tenant.default='bad tenant!': must be 1 to 64 letters"),
                message);
        assertTrue(message.contains("quarkus.redis-session.touch-interval='PT-1S': must be at least PT0S"), message);
        assertTrue(message.contains("quarkus.redis-session.passive-paths='api/poll': must be an exact path or a prefix "
                + "ending in /*"), message);
        assertTrue(message.contains("quarkus.redis-session.passive-paths='/a/*/b'"), message);
        assertTrue(message.contains("quarkus.redis-session.anonymous.idle-timeout='PT0S': must be at least PT1S"),
                message);
        assertTrue(message.contains("The session cookie __Host-SID needs quarkus.redis-session.cookie.secure=always "
                + "(it is auto, which leaves Secure off on plain-HTTP requests), no Domain (it is example.com)"), message);
        assertEquals(10, message.split("\n").length, "one line per wrong value: " + message);
    }

    @Test
    void startupFails() {
        fail("the application must not start with these values");
    }
}
