package dev.redissession.deployment;

import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/** {@link RestrictedUserScenario} on a standalone server of the test's own. */
class RestrictedUserTest extends RestrictedUserScenario {

    static final RedisServer REDIS = TestRedis.dedicated("restricted-user-test");

    static {
        RestrictedUser.createOn(REDIS);
    }

    @RegisterExtension
    static final QuarkusUnitTest TEST = app(RestrictedUser.uri(REDIS));

    @Override
    List<RedisServer> servers() {
        return List.of(REDIS);
    }
}
