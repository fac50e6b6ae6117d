package dev.redissession.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

class TestRedisTest {

    @Test
    void sharedStandaloneIsStartedOnce() {
        RedisServer shared = TestRedis.standalone();
        assertSame(shared, TestRedis.standalone());
        assertEquals(String.valueOf(shared.port()), System.getProperty(TestRedis.STANDALONE_PROPERTY));

        // what another class loader would get: a handle on the same process
        RedisServer attached = RedisServer.attach(shared.port());
        assertEquals(shared.pid(), attached.pid());
        attached.stop(); // no-op: not the owner
        assertEquals("PONG", shared.cli("PING"));
    }

    @Test
    void sharedServersRefuseFaultsInEveryClassLoader() {
        assertThrows(UnsupportedOperationException.class, () -> TestRedis.standalone().pause());
        assertThrows(UnsupportedOperationException.class, () -> TestRedis.cluster().nodes().get(0).restart());
        TestRedis.standalone().stop(); // no-op
        assertEquals("PONG", TestRedis.standalone().cli("PING"));
    }

    @Test
    void aDedicatedServerIsOneProcessForBothClassLoaders() {
        RedisServer first = TestRedis.dedicated("test-redis-test");
        RedisServer second = TestRedis.dedicated("test-redis-test"); // as the Quarkus class loader's copy would
        assertEquals(first.pid(), second.pid());
        second.stop();
        assertFalse(first.isRunning());
        RedisServer fresh = TestRedis.dedicated("test-redis-test"); // the published one is gone: a new one
        assertEquals("PONG", fresh.cli("PING"));
        fresh.stop();
    }

    @Test
    void testResourceConfig() {
        RedisTestResource standalone = new RedisTestResource();
        standalone.init(Map.of());
        assertEquals(Map.of("quarkus.redis.hosts", TestRedis.standalone().uri(),
                "quarkus.redis.devservices.enabled", "false"), standalone.start());

        RedisTestResource cluster = new RedisTestResource();
        cluster.init(Map.of("cluster", "true"));
        Map<String, String> config = cluster.start();
        assertEquals(TestRedis.cluster().hosts(), config.get("quarkus.redis.hosts"));
        assertEquals("cluster", config.get("quarkus.redis.client-type"));
        assertEquals("false", config.get("quarkus.redis.devservices.enabled"));
        assertSame(TestRedis.cluster(), TestRedis.cluster());
    }
}
