package dev.redissession.deployment.purge;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/** The purge scenarios on a standalone Redis. */
class PurgeStandaloneTest extends PurgeScenarios {

    static final RedisServer REDIS = TestRedis.standalone();
    static final String PREFIX = "purge-sa:";

    @RegisterExtension
    static final QuarkusUnitTest TEST = app(PREFIX)
            .overrideConfigKey("quarkus.redis.hosts", REDIS.uri());

    @Override
    String prefix() {
        return PREFIX;
    }
}
