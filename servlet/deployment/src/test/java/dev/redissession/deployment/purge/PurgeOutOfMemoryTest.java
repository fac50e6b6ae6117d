package dev.redissession.deployment.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.PurgeJob;
import dev.redissession.PurgeState;
import dev.redissession.TenantPurge;
import dev.redissession.deployment.TestApps;
import dev.redissession.runtime.keys.SessionIds;
import dev.redissession.runtime.store.SessionRedis;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * A Redis full to {@code maxmemory} with {@code noeviction} refuses every write, yet a purge only frees memory and
 * logging a compromised tenant out must work exactly then: the job's lock, fence and state writes still go through,
 * and the tenant's sessions are deleted. Uses a Redis server of its own (it changes its memory limit).
 */
class PurgeOutOfMemoryTest {

    static final RedisServer REDIS = TestRedis.dedicated("purge-oom-test");
    static final String PREFIX = "purge-oom:";
    private static final int VICTIMS = 300;
    private static final int BYSTANDERS = 40;

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS)
            .overrideConfigKey("quarkus.redis-session.key-prefix", PREFIX)
            .overrideConfigKey("quarkus.redis-session.purge.scan-count", "50");

    @Inject
    TenantPurge purge;
    @Inject
    SessionRedis redis;

    @Test
    void aPurgeRunsAndFreesMemoryWhileRedisRefusesWrites() {
        seed("victim", VICTIMS);
        seed("bystander", BYSTANDERS);
        REDIS.cli("CONFIG", "SET", "maxmemory-policy", "noeviction");
        try {
            REDIS.cli("CONFIG", "SET", "maxmemory", String.valueOf(usedMemory() + 2 * 1024 * 1024));
            // Large values first, then small ones: the last few bytes below the limit take no large value.
            assertTrue(fillUntilOutOfMemory("large", 8192) > 0, "Redis took some filler before it was full");
            // Memory that a closing connection frees can let one more write in: fill again until a probe is refused.
            Throwable refused = null;
            for (int round = 0; round < 20 && refused == null; round++) {
                fillUntilOutOfMemory("small-" + round, 16);
                refused = set("purge-oom-probe", "x");
            }
            assertTrue(refused != null && refused.getMessage().startsWith("OOM"), "Redis is full: " + refused);

            PurgeJob end = purge.purgeToEnd("victim").await().atMost(Duration.ofSeconds(30));

            assertEquals(PurgeState.COMPLETED, end.state(), String.valueOf(end));
            assertEquals(VICTIMS, end.deleted(), String.valueOf(end));
            assertNull(end.error());
            assertEquals(0L, purge.countSessions("victim").await().atMost(Duration.ofSeconds(10)));
            assertEquals((long) BYSTANDERS, purge.countSessions("bystander").await().atMost(Duration.ofSeconds(10)),
                    "other tenants keep their sessions");
            assertNull(send(Request.cmd(Command.GET).arg(PREFIX + "#purge-lock:victim")), "the tenant is free again");
            String stored = send(Request.cmd(Command.HGET).arg(PREFIX + "#purge-job:" + end.id()).arg("job"))
                    .toString();
            assertTrue(stored.contains("\"state\":\"completed\""), "the end is stored: " + stored);
        } finally {
            REDIS.cli("CONFIG", "SET", "maxmemory", "0");
        }
    }

    /** Writes values of {@code size} bytes until Redis answers OOM; how many it took. */
    private long fillUntilOutOfMemory(String name, int size) {
        String value = "x".repeat(size);
        for (long i = 0; i < 1_000_000; i++) {
            Throwable failure = set("purge-oom-filler:" + name + ":" + i, value);
            if (failure != null) {
                assertTrue(failure.getMessage().startsWith("OOM"), "a filler failed on OOM: " + failure);
                return i;
            }
        }
        throw new AssertionError("Redis never ran out of memory; used_memory " + usedMemory());
    }

    private Throwable set(String key, String value) {
        return redis.client().send(Request.cmd(Command.SET).arg(key).arg(value)).map(ok -> (Throwable) null)
                .onFailure().recoverWithItem(failure -> failure).await().atMost(Duration.ofSeconds(10));
    }

    private long usedMemory() {
        return REDIS.cli("INFO", "memory").lines().filter(line -> line.startsWith("used_memory:"))
                .map(line -> Long.parseLong(line.substring("used_memory:".length()).trim())).findFirst()
                .orElseThrow();
    }

    private void seed(String tenant, int n) {
        String now = Instant.now().toString();
        Multi.createFrom().range(0, n).onItem().transformToUni(i -> redis.client().send(Request.cmd(Command.SET)
                .arg(PREFIX + tenant + ":" + SessionIds.generate()).arg("{\"created_at\":\"" + now + "\"}")))
                .merge(8).collect().last().await().atMost(Duration.ofSeconds(30));
    }

    private io.vertx.mutiny.redis.client.Response send(Request request) {
        return redis.client().send(request).await().atMost(Duration.ofSeconds(10));
    }
}
