package dev.redissession.deployment;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisCluster;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * {@link RestrictedUserScenario} on a 3-master cluster of the test's own, the user created on every node: the cluster
 * client's {@code CLUSTER SLOTS}, the purge's {@code CLUSTER NODES} and its pinned {@code MULTI}/{@code EXISTS}/
 * {@code EXEC} batches are allowed too.
 */
class RestrictedUserClusterTest extends RestrictedUserScenario {

    static final RedisCluster CLUSTER = TestRedis.dedicatedCluster("restricted-user-cluster-test");

    static {
        CLUSTER.nodes().forEach(RestrictedUser::createOn);
    }

    @RegisterExtension
    static final QuarkusUnitTest TEST = app(
            CLUSTER.nodes().stream().map(RestrictedUser::uri).collect(Collectors.joining(",")))
            .overrideConfigKey("quarkus.redis.client-type", "cluster");

    @Override
    List<RedisServer> servers() {
        return CLUSTER.nodes();
    }
}
