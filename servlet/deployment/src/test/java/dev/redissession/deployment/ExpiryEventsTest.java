package dev.redissession.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.expiry.ExpirySweeper;
import dev.redissession.runtime.store.RedisSessionStore;
import dev.redissession.runtime.store.SessionRedis;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Expiry events on a standalone server without keyspace notifications ({@code notify-keyspace-events} empty), as
 * {@link ExpiryScenario} describes.
 */
class ExpiryEventsTest {

    static final RedisServer REDIS = TestRedis.standalone();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.with(TestApps.on(REDIS, SessionServlet.class, Sessions.class,
            ExpiryScenario.class, ExpiryScenario.Heard.class, ExpiryScenario.Destroyed.class,
            ExpiryScenario.OtherReplica.class)
            .overrideConfigKey("quarkus.redis-session.tenant.default", ExpiryScenario.TENANT)
            .overrideConfigKey("quarkus.redis-session.idle-timeout", "1S")
            .overrideConfigKey("quarkus.redis-session.expiry-sweep-interval", "200MS"), TestApps.PROMETHEUS);

    @Inject
    RedisSessionStore store;
    @Inject
    RedisSessionConfig config;
    @Inject
    SessionRedis redis;

    @Test
    void nSessionsExpireOnceAcrossTwoReplicas() throws Exception {
        assertEquals("", REDIS.cli("CONFIG", "GET", "notify-keyspace-events").lines().skip(1).findFirst().orElse(""),
                "no keyspace notifications");
        ExpiryScenario.nSessionsExpireOnceAcrossTwoReplicas(
                (ends, metrics) -> new ExpirySweeper(store, config, redis, ends, metrics),
                () -> ExpiryScenario.indexedOfTenant(REDIS),
                ExpiryScenario::expiredMetric);
    }

}
