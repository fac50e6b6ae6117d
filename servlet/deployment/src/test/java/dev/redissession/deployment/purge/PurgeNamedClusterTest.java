package dev.redissession.deployment.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.PurgeJob;
import dev.redissession.PurgeState;
import dev.redissession.TenantPurge;
import dev.redissession.runtime.keys.ClusterSlots;
import dev.redissession.runtime.keys.SessionIds;
import dev.redissession.runtime.store.SessionRedis;
import dev.redissession.testing.RedisCluster;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * A purge through a named Redis client of type cluster ({@code quarkus.redis.<name>.client-type}, no default client):
 * the purge must see the cluster and delete the tenant's keys on every master.
 */
class PurgeNamedClusterTest {

    static final RedisCluster CLUSTER = TestRedis.cluster();
    static final String PREFIX = "purge-nc:";

    @RegisterExtension
    static final QuarkusUnitTest TEST = PurgeScenarios.app(PREFIX)
            .overrideConfigKey("quarkus.redis-session.client-name", "sessions")
            .overrideConfigKey("quarkus.redis.sessions.hosts", CLUSTER.hosts())
            .overrideConfigKey("quarkus.redis.sessions.client-type", "cluster")
            .overrideConfigKey("quarkus.redis-session.purge.rate-limit", "100000");

    @Inject
    TenantPurge purge;
    @Inject
    SessionRedis redis;

    @Test
    void purgeDeletesTheTenantOnEveryMaster() {
        int sessions = 300;
        Set<Integer> slots = seed("wide", sessions);
        assertTrue(slots.size() > 200, "the tenant's keys are spread over many slots: " + slots.size());
        List<String> noise = List.of("wide2", "wid", "wide-1", "xwide");
        noise.forEach(tenant -> seed(tenant, 20));
        for (RedisServer node : CLUSTER.nodes()) {
            assertTrue(keysOn(node, "wide") > 0, node + " holds some of the tenant's keys");
        }

        PurgeJob end = purge.purgeToEnd("wide").await().atMost(Duration.ofSeconds(60));

        assertEquals(PurgeState.COMPLETED, end.state(), String.valueOf(end));
        assertEquals(sessions, end.deleted(), String.valueOf(end));
        for (RedisServer node : CLUSTER.nodes()) {
            assertEquals(0L, keysOn(node, "wide"), node + " still holds keys of the purged tenant");
        }
        assertEquals(0L, purge.countSessions("wide").await().atMost(Duration.ofSeconds(30)));
        for (String tenant : noise) {
            assertEquals(20L, CLUSTER.nodes().stream().mapToLong(node -> keysOn(node, tenant)).sum(), tenant);
            assertEquals(20L, purge.countSessions(tenant).await().atMost(Duration.ofSeconds(30)), tenant);
        }
    }

    /** {@code n} session keys of the tenant through the named client; the slots they landed in. */
    private Set<Integer> seed(String tenant, int n) {
        Set<Integer> slots = new HashSet<>();
        String now = Instant.now().toString();
        List<String> keys = Multi.createFrom().range(0, n).map(i -> PREFIX + tenant + ":" + SessionIds.generate())
                .collect().asList().await().indefinitely();
        keys.forEach(key -> slots.add(ClusterSlots.slot(key)));
        Multi.createFrom().iterable(keys)
                .onItem().transformToUni(key -> redis.client().send(Request.cmd(Command.SET).arg(key)
                        .arg("{\"created_at\":\"" + now + "\"}").arg("PX").arg(600_000)))
                .merge(8).collect().last().await().atMost(Duration.ofSeconds(60));
        return slots;
    }

    private static long keysOn(RedisServer node, String tenant) {
        String out = node.cli("--scan", "--pattern", PREFIX + tenant + ":*");
        return out.isBlank() ? 0 : out.split("\n").length;
    }
}
