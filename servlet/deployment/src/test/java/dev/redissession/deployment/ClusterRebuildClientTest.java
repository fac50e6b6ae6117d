package dev.redissession.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.runtime.store.SessionRedis;
import dev.redissession.testing.RedisCluster;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.redis.runtime.client.config.RedisConfig;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.config.SmallRyeConfig;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;

/**
 * The clients the cluster rebuild connects through ({@link SessionRedis#clientStartingWith}) have the session
 * client's own configuration, here a named client whose hosts carry the restricted ACL user's credentials: every
 * connection they open is that user's, and each reads the slot map from the host it was asked to start with.
 */
class ClusterRebuildClientTest {

    static final RedisCluster CLUSTER = TestRedis.dedicatedCluster("cluster-rebuild-client-test");
    private static final String CLIENT = "sessions";
    private static final Duration WAIT = Duration.ofSeconds(10);

    static {
        CLUSTER.nodes().forEach(RestrictedUser::createOn);
    }

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(RestrictedUser.class)
            .overrideConfigKey("quarkus.redis-session.client-name", CLIENT)
            .overrideConfigKey("quarkus.redis." + CLIENT + ".hosts",
                    CLUSTER.nodes().stream().map(RestrictedUser::uri).collect(Collectors.joining(",")))
            .overrideConfigKey("quarkus.redis." + CLIENT + ".client-type", "cluster");

    @Inject
    SessionRedis redis;

    @AfterAll
    static void stopCluster() {
        CLUSTER.stop();
    }

    @Test
    void eachConnectsAsTheConfiguredUserAndStartsWithTheHostAskedFor() {
        List<RedisServer> hosts = hostsInClientOrder();
        for (int first = 0; first < hosts.size(); first++) {
            CLUSTER.nodes().forEach(RedisServer::resetStats);
            Redis client = redis.clientStartingWith(first);
            try {
                RedisConnection connection = client.connect().await().atMost(WAIT);
                connection.send(Request.cmd(Command.GET).arg("session:rebuild-client-test")).await().atMost(WAIT);
                for (RedisServer node : CLUSTER.nodes()) {
                    List<String> others = List.of(node.cli("CLIENT", "LIST").split("\n")).stream()
                            .filter(line -> !line.contains("cmd=client|list")).toList();
                    assertTrue(!others.isEmpty() && others.stream().allMatch(l -> l.contains("user=" + RestrictedUser.NAME)),
                            "every connection to " + node + " is " + RestrictedUser.NAME + "'s: " + others);
                }
                connection.closeAndForget();
            } finally {
                client.close();
            }
            assertEquals(1L, hosts.get(first).commandCalls("cluster|slots"),
                    "the client starting with host " + first + " read the slot map from " + hosts.get(first));
        }
    }

    /** The hosts as the Vert.x client gets them: the set Quarkus hands over, in its order. */
    private static List<RedisServer> hostsInClientOrder() {
        return ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(RedisConfig.class)
                .clients().get(CLIENT).hosts().orElseThrow().stream().map(URI::getPort).map(CLUSTER::node).toList();
    }
}
