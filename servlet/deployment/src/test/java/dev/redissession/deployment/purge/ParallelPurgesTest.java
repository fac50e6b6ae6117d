package dev.redissession.deployment.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.PurgeJob;
import dev.redissession.PurgeState;
import dev.redissession.TenantPurge;
import dev.redissession.runtime.keys.SessionIds;
import dev.redissession.runtime.store.SessionRedis;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * Twenty purges of different tenants at once all complete: they queue for the purge's own bounded number of commands
 * in flight ({@code purge.max-concurrent-commands}) instead of filling the Redis client's connection pool and its wait
 * queue, so no command fails with "Connection pool reached max wait queue size" and no lock renewal is refused.
 */
class ParallelPurgesTest {

    static final RedisServer REDIS = TestRedis.standalone();
    static final String PREFIX = "purge-parallel:";
    static final int TENANTS = 20;
    static final int KEYS_PER_TENANT = 50;

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withEmptyApplication()
            .overrideConfigKey("quarkus.redis.devservices.enabled", "false")
            .overrideConfigKey("quarkus.redis.hosts", REDIS.uri())
            .overrideConfigKey("quarkus.redis-session.key-prefix", PREFIX)
            // Small pages: many round trips per job, so the twenty jobs overlap for their whole run.
            .overrideConfigKey("quarkus.redis-session.purge.scan-count", "10")
            .overrideConfigKey("quarkus.redis-session.purge.delete-batch", "5")
            // A renewal every 667 ms per job: renewals compete with the scans the whole time.
            .overrideConfigKey("quarkus.redis-session.purge.lock-lease", "2S")
            .setLogRecordPredicate(record -> record.getLevel().intValue() >= Level.WARNING.intValue())
            .assertLogRecords(records -> assertTrue(records.isEmpty(), "no pool exhaustion, no lock-renewal WARN: "
                    + records.stream().map(record -> record.getLoggerName() + ": " + record.getMessage()
                            + " " + Arrays.toString(record.getParameters())).toList()));

    @Inject
    TenantPurge purge;
    @Inject
    SessionRedis redis;

    @Test
    void twentyParallelPurgesOfDifferentTenantsAllComplete() {
        List<String> tenants = IntStream.range(0, TENANTS).mapToObj(i -> "par-" + i).toList();
        tenants.forEach(this::seed);

        List<Uni<PurgeJob>> purges = tenants.stream().map(purge::purgeToEnd).toList();
        List<PurgeJob> ends = Uni.join().all(purges).andCollectFailures().await().atMost(Duration.ofSeconds(60));

        for (PurgeJob end : ends) {
            assertEquals(PurgeState.COMPLETED, end.state(), String.valueOf(end));
            assertEquals(KEYS_PER_TENANT, end.deleted(), String.valueOf(end));
        }
    }

    /** Session keys of the tenant with valid ids, written directly, in one pipeline. */
    private void seed(String tenant) {
        String now = Instant.now().toString();
        List<Request> sets = IntStream.range(0, KEYS_PER_TENANT).mapToObj(i -> Request.cmd(Command.SET)
                .arg(PREFIX + tenant + ":" + SessionIds.generate())
                .arg("{\"created_at\":\"" + now + "\",\"last_accessed_at\":\"" + now + "\"}")
                .arg("PX").arg(600_000)).toList();
        redis.client().batch(sets).await().atMost(Duration.ofSeconds(30));
    }
}
