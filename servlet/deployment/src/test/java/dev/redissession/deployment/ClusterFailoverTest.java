package dev.redissession.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.deployment.FailoverLoad.Answer;
import dev.redissession.runtime.keys.ClusterSlots;
import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisCluster;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.redis.runtime.client.config.RedisConfig;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;
import io.smallrye.config.SmallRyeConfig;

/**
 * A Redis Cluster of 3 masters and 3 replicas ({@code cluster-node-timeout 2000}) under 30 users posting to their
 * sessions every 200 ms: a master killed, the same node coming back, a slot migrated, the master that is the client's first
 * host hung (SIGSTOP). Only the
 * sessions of the failing master are affected (503 with Retry-After), the others keep working, and the affected ones
 * work again within seconds of the promotion of the master's replica, without a restart of the app. The figures each
 * phase measured are printed ({@code [failover] ...}). The phases run in order on one cluster and each leaves it with
 * three masters that each have a replica in sync.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverTest {

    static final RedisCluster CLUSTER = TestRedis.dedicatedCluster("cluster-failover-test", 1,
            "--cluster-node-timeout", "2000");
    private static final String PREFIX = "session:default:";
    private static final int USERS = 30;
    /** Generous for a 2-core machine under load; the figures printed show the real times. */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);
    /**
     * A hung node's sessions come back when the background rebuild of the cluster connection succeeds; an attempt that
     * waits on the hung node is given up only after a deadline (1 s, growing to the command deadline, 5 s), and a
     * request already sent to it runs into its own 5 s, so a wider bound than for a dead node, whose connection
     * attempts fail at once.
     */
    private static final Duration HUNG_RECOVERY_BOUND = Duration.ofSeconds(20);
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(30);

    /** The defaults throughout, quarkus.redis-session.timeout=5S too: a hung node's requests fail after 5 s. */
    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(CLUSTER, SessionServlet.class, Sessions.class, FailoverLoad.class,
            FailoverLoad.Answer.class);

    @AfterAll
    static void stopCluster() {
        CLUSTER.stop();
    }

    @Test
    @Order(1)
    void aKilledMasterTakesOnlyItsOwnSessionsDownUntilItsReplicaIsPromoted() {
        try (FailoverLoad load = new FailoverLoad(RestAssured.port, USERS)) {
            RedisServer victim = busiestMaster(load);
            Set<Integer> victims = usersOn(load, victim);
            RedisServer replica = CLUSTER.replicasOf(victim).get(0);
            load.awaitAnswers(System.nanoTime(), 2, Duration.ofSeconds(30));

            long killed = System.nanoTime();
            victim.kill();
            long promoted = awaitPromotion(replica);
            long recovered = awaitRecovery(load, victims, victim, promoted);

            assertIsolated(load, "killed master " + hostIndex(victim), victims, killed, promoted, recovered);
        }
    }

    @Test
    @Order(2)
    void aMasterThatComesBackRejoinsAsReplicaWithoutDisturbingAnyone() {
        RedisServer returning = CLUSTER.nodes().stream().filter(n -> !n.isRunning()).findFirst()
                .orElseThrow(() -> new IllegalStateException("the first phase leaves one node stopped"));
        try (FailoverLoad load = new FailoverLoad(RestAssured.port, USERS)) {
            load.awaitAnswers(System.nanoTime(), 2, Duration.ofSeconds(30));
            long from = System.nanoTime();
            returning.restart();
            CLUSTER.awaitReady(FAILOVER_BOUND);
            assertTrue(CLUSTER.masters().stream().noneMatch(m -> m.port() == returning.port()),
                    "the returning node rejoins as a replica of its promoted one");
            long ready = System.nanoTime();
            load.awaitAnswers(ready, 3, Duration.ofSeconds(30));
            List<Answer> window = load.between(from, System.nanoTime(), user -> true);
            report("master comes back", "all users ok " + FailoverLoad.percent(FailoverLoad.okRatio(window)) + " of "
                    + FailoverLoad.describe(window));
            assertTrue(FailoverLoad.okRatio(window) >= 0.95, FailoverLoad.describe(window));
        }
    }

    @Test
    @Order(3)
    void aSlotMigratedUnderLoadMovesItsSessionsWithoutFailures() throws Exception {
        try (FailoverLoad load = new FailoverLoad(RestAssured.port, USERS)) {
            String key = PREFIX + load.sessions().get(0);
            int slot = ClusterSlots.slot(key);
            RedisServer source = CLUSTER.masterOf(slot);
            RedisServer target = CLUSTER.masters().stream().filter(m -> m.port() != source.port()).findFirst()
                    .orElseThrow();
            String sourceId = source.cli("CLUSTER", "MYID");
            String targetId = target.cli("CLUSTER", "MYID");
            load.awaitAnswers(System.nanoTime(), 2, Duration.ofSeconds(30));

            long from = System.nanoTime();
            target.cli("CLUSTER", "SETSLOT", String.valueOf(slot), "IMPORTING", sourceId);
            source.cli("CLUSTER", "SETSLOT", String.valueOf(slot), "MIGRATING", targetId);
            load.awaitAnswers(System.nanoTime(), 1, Duration.ofSeconds(30)); // traffic while MIGRATING
            List<String> keys = List.of(source.cli("CLUSTER", "GETKEYSINSLOT", String.valueOf(slot), "100")
                    .split("\n"));
            List<String> migrate = new java.util.ArrayList<>(List.of("MIGRATE", target.host(),
                    String.valueOf(target.port()), "", "0", "5000", "KEYS"));
            migrate.addAll(keys);
            source.cli(migrate.toArray(String[]::new));
            // A request for the moved session now is sent to the importing node (ASK), where its multi-key write is
            // told TRYAGAIN until the slot is assigned; the client retries it with back-off (about 4 s in all).
            // Assign the slot at once, as redis-cli --cluster reshard does right after moving a slot's keys.
            long askingBefore = target.commandCalls("asking");
            var redirected = load.postAsync(0);
            for (RedisServer master : CLUSTER.masters()) {
                master.cli("CLUSTER", "SETSLOT", String.valueOf(slot), "NODE", targetId);
            }
            assertEquals(200, redirected.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode(),
                    "the request redirected during the migration");
            long settled = System.nanoTime();
            load.awaitAnswers(settled, 3, Duration.ofSeconds(30));

            List<Answer> window = load.between(from, System.nanoTime(), user -> true);
            report("slot migration", "slot " + slot + " (" + keys.size() + " keys) moved, "
                    + (target.commandCalls("asking") - askingBefore) + " ASKING redirections; all users ok "
                    + FailoverLoad.percent(FailoverLoad.okRatio(window)) + " of " + FailoverLoad.describe(window));
            // Everyone else is untouched. The moved session's requests are retried by the client (TRYAGAIN back-off,
            // about 4 s in all); on an overloaded machine one of them can still run out of the 5 s deadline, and then
            // gets 503 with Retry-After like any passing failure.
            Set<Integer> inSlot = IntStream.range(0, USERS)
                    .filter(user -> ClusterSlots.slot(PREFIX + load.sessions().get(user)) == slot).boxed()
                    .collect(Collectors.toSet());
            List<Answer> others = load.between(from, System.nanoTime(), user -> !inSlot.contains(user));
            assertEquals(1.0, FailoverLoad.okRatio(others), FailoverLoad.describe(others));
            assertTrue(window.stream().allMatch(a -> a.ok() || a.status() == 503 && a.retryAfter()),
                    FailoverLoad.describe(window));
            assertEquals("1", target.cli("EXISTS", key), "the session moved with its slot");
        }
    }

    @Test
    @Order(4)
    void aHungFirstHostTakesOnlyItsOwnSessionsDownUntilItsReplicaIsPromoted() {
        // The first host of the client: the Vert.x client reads the slot map from its hosts in order and has no
        // handshake timeout, so a client that starts with a hung one never sees the promotion.
        RedisServer victim = firstHost();
        makeMaster(victim);
        try (FailoverLoad load = new FailoverLoad(RestAssured.port, USERS)) {
            Set<Integer> victims = usersOn(load, victim);
            RedisServer replica = CLUSTER.replicasOf(victim).get(0);
            load.awaitAnswers(System.nanoTime(), 2, Duration.ofSeconds(30));

            long paused = System.nanoTime();
            victim.pause();
            try {
                long promoted = awaitPromotion(replica);
                long recovered = awaitRecovery(load, victims, victim, promoted, HUNG_RECOVERY_BOUND);
                assertIsolated(load, "hung master, the client's first host " + hostIndex(victim), victims, paused, promoted,
                        recovered);
            } finally {
                victim.resume();
            }
            CLUSTER.awaitReady(FAILOVER_BOUND);
        }
    }

    /**
     * The host the Vert.x client tries first: the first of quarkus.redis.hosts in the order Quarkus hands them over,
     * which is a set's (not necessarily the order they are written in).
     */
    private static RedisServer firstHost() {
        URI first = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(RedisConfig.class)
                .clients().get(RedisConfig.DEFAULT_CLIENT_NAME).hosts().orElseThrow().iterator().next();
        return CLUSTER.node(first.getPort());
    }

    /**
     * Makes {@code node} a master with a replica in sync: an earlier phase may have left it a replica (its master
     * was killed and it came back), and then it takes over from its master ({@code CLUSTER FAILOVER}).
     */
    private static void makeMaster(RedisServer node) {
        if (CLUSTER.masters().stream().noneMatch(m -> m.port() == node.port())) {
            node.cli("CLUSTER", "FAILOVER");
            Poll.until(FAILOVER_BOUND, node + " to take over from its master", () -> node.cli("ROLE")
                    .startsWith("master"));
        }
        CLUSTER.awaitReady(FAILOVER_BOUND);
    }

    /**
     * The figures of a failover: in the window from the failure to the promotion, at least 95 % of the other users'
     * requests succeeded; the affected users got 503 with Retry-After (and nothing else) until they recovered, which
     * took {@link #RECOVERY_BOUND} (a hung node: {@link #HUNG_RECOVERY_BOUND}) at most after the promotion.
     */
    private static void assertIsolated(FailoverLoad load, String what, Set<Integer> victims, long failed,
            long promoted, long recovered) {
        Predicate<Integer> others = user -> !victims.contains(user);
        List<Answer> othersInWindow = load.between(failed, promoted, others);
        List<Answer> victimsFailing = load.between(failed, recovered, victims::contains);
        List<Answer> victimsNotOk = victimsFailing.stream().filter(a -> !a.ok()).toList();
        double othersOk = FailoverLoad.okRatio(othersInWindow);
        report(what, victims.size() + " of " + USERS + " users on it; promotion after "
                + FailoverLoad.millis(promoted - failed) + " ms; other users ok " + FailoverLoad.percent(othersOk) + " of "
                + FailoverLoad.describe(othersInWindow) + " in that window; affected users "
                + FailoverLoad.describe(victimsFailing) + " until recovered " + FailoverLoad.millis(recovered - promoted)
                + " ms after the promotion");
        assertTrue(othersOk >= 0.95, "other users: " + FailoverLoad.describe(othersInWindow));
        assertTrue(!victimsNotOk.isEmpty(), "the failure reached the affected users: " + victimsFailing);
        assertTrue(victimsNotOk.stream().allMatch(a -> a.status() == 503 && a.retryAfter()),
                "affected users get 503 with Retry-After: " + FailoverLoad.describe(victimsNotOk));
    }

    /** When the last affected user was answered 200 after the promotion; what they got instead if none was. */
    private static long awaitRecovery(FailoverLoad load, Set<Integer> victims, RedisServer victim, long promoted) {
        return awaitRecovery(load, victims, victim, promoted, RECOVERY_BOUND);
    }

    private static long awaitRecovery(FailoverLoad load, Set<Integer> victims, RedisServer victim, long promoted,
            Duration bound) {
        try {
            return load.awaitEachOk(promoted, victims::contains, bound);
        } catch (AssertionError notRecovered) {
            throw new AssertionError(notRecovered.getMessage() + "; the users of " + victim + " " + hostIndex(victim)
                    + " got since the promotion: "
                    + FailoverLoad.describe(load.between(promoted, System.nanoTime(), victims::contains)),
                    notRecovered);
        }
    }

    /** Polls the replica until it reports itself master; returns when. */
    private static long awaitPromotion(RedisServer replica) {
        Poll.until(FAILOVER_BOUND, replica + " to be promoted", () -> replica.cli("ROLE").startsWith("master"));
        return System.nanoTime();
    }

    /** The master holding the most (but not all) of the users' sessions. */
    private static RedisServer busiestMaster(FailoverLoad load) {
        return CLUSTER.masters().stream()
                .max(java.util.Comparator.comparingInt(m -> usersOn(load, m).size())).orElseThrow();
    }

    /** The users whose session lives on {@code master} now (one CLUSTER NODES). */
    private static Set<Integer> usersOn(FailoverLoad load, RedisServer master) {
        RedisCluster.ClusterNode node = CLUSTER.topology().stream().filter(n -> n.port() == master.port())
                .findFirst().orElseThrow();
        return IntStream.range(0, load.sessions().size())
                .filter(user -> node.serves(ClusterSlots.slot(PREFIX + load.sessions().get(user)))).boxed()
                .collect(Collectors.toSet());
    }

    /** Which of quarkus.redis.hosts, in the order written, the node is. */
    private static String hostIndex(RedisServer node) {
        return "(host " + (1 + IntStream.range(0, CLUSTER.nodes().size())
                .filter(i -> CLUSTER.nodes().get(i).port() == node.port()).findFirst().orElseThrow()) + " of "
                + CLUSTER.nodes().size() + ")";
    }

    private static void report(String what, String figures) {
        System.out.println("[failover] cluster, " + what + ": " + figures);
    }

}
