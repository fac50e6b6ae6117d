package dev.redissession.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.deployment.FailoverLoad.Answer;
import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;

/**
 * A real Sentinel failover under load: 1 master, 1 replica, 3 Sentinels ({@code down-after-milliseconds 2000}), the
 * master killed. Every user gets 503 with Retry-After while there is no master, and works again within seconds of
 * the promotion, with the Quarkus defaults ({@code auto-failover=false}): the store drops a broken connection and
 * opens the next one through the client, which asks Sentinel for the master anew. Prints what it measured
 * ({@code [failover] ...}).
 */
class SentinelFailoverTest {

    private static final String MASTER_NAME = "failover-master";
    static final RedisServer MASTER = TestRedis.dedicated("sentinel-failover-master");
    static final RedisServer REPLICA = TestRedis.dedicated("sentinel-failover-replica",
            () -> RedisServer.startReplicaOf(MASTER));
    static final List<RedisServer> SENTINELS = List.of(sentinel(1), sentinel(2), sentinel(3));
    private static final int USERS = 10;

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(SessionServlet.class, Sessions.class, FailoverLoad.class,
            FailoverLoad.Answer.class)
            .overrideConfigKey("quarkus.redis.hosts",
                    String.join(",", SENTINELS.stream().map(RedisServer::uri).toList()))
            .overrideConfigKey("quarkus.redis.client-type", "sentinel")
            .overrideConfigKey("quarkus.redis.master-name", MASTER_NAME)
            .overrideConfigKey("quarkus.redis-session.timeout", "2S");

    private static RedisServer sentinel(int n) {
        return TestRedis.dedicated("sentinel-failover-sentinel-" + n,
                () -> RedisServer.startSentinel(MASTER, MASTER_NAME, 2, 2000));
    }

    @AfterAll
    static void stopAll() {
        SENTINELS.forEach(RedisServer::stop);
        REPLICA.stop();
        MASTER.stop();
    }

    @Test
    void aKilledMasterIsReplacedByItsReplicaAndEverySessionWorksAgainWithinSeconds() {
        // Sentinels find the replica and each other by gossip: a failover needs both.
        for (RedisServer sentinel : SENTINELS) {
            Poll.until(Duration.ofSeconds(30), sentinel + " to know the replica and the other Sentinels",
                    () -> sentinel.cli("INFO", "sentinel"), info -> info.contains("slaves=1,sentinels=3"));
        }
        Poll.until(Duration.ofSeconds(30), "the replica to be in sync",
                () -> REPLICA.cli("INFO", "replication"), info -> info.contains("master_link_status:up"));
        try (FailoverLoad load = new FailoverLoad(RestAssured.port, USERS)) {
            load.awaitAnswers(System.nanoTime(), 2, Duration.ofSeconds(30));
            long killed = System.nanoTime();
            MASTER.kill();
            Poll.until(Duration.ofSeconds(30), "Sentinel to promote the replica", () -> SENTINELS.get(0)
                    .cli("SENTINEL", "get-master-addr-by-name", MASTER_NAME).endsWith(String.valueOf(REPLICA.port())));
            long promoted = System.nanoTime();
            long recovered = load.awaitEachOk(promoted, user -> true, Duration.ofSeconds(10));

            List<Answer> failing = load.between(killed, recovered, user -> true);
            List<Answer> notOk = failing.stream().filter(a -> !a.ok()).toList();
            System.out.println("[failover] sentinel, killed master: promotion after "
                    + FailoverLoad.millis(promoted - killed) + " ms; all users "
                    + FailoverLoad.describe(failing) + " until recovered "
                    + FailoverLoad.millis(recovered - promoted) + " ms after the promotion");
            assertTrue(!notOk.isEmpty(), "the failure reached the users: " + FailoverLoad.describe(failing));
            assertTrue(notOk.stream().allMatch(a -> a.status() == 503 && a.retryAfter()),
                    "users get 503 with Retry-After while there is no master: " + FailoverLoad.describe(notOk));
            load.awaitAnswers(recovered, 3, Duration.ofSeconds(30));
            List<Answer> after = load.between(recovered, System.nanoTime(), user -> true);
            assertTrue(after.stream().allMatch(Answer::ok), "after the recovery: " + FailoverLoad.describe(after));
        }
    }
}
