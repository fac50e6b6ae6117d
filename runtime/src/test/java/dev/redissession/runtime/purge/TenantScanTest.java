package dev.redissession.runtime.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.redissession.runtime.keys.ClusterSlots;
import dev.redissession.runtime.keys.SessionIds;
import dev.redissession.runtime.keys.SessionKeys;
import dev.redissession.runtime.purge.ClusterTopology.Topology;
import dev.redissession.runtime.store.LuaScripts;
import dev.redissession.testing.RedisCluster;
import dev.redissession.testing.RedisServer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;

/**
 * The tenant scan against real redis-servers (standalone and a 3-master cluster), through a client that records
 * every round trip: one per page (the page's UNLINKs, then the next page's SCAN), the rate limit wait before it, the
 * stop check before each SCAN, and deleted = the keys that existed.
 */
class TenantScanTest {

    private static final String TENANT = "acme";
    private static final int SESSIONS = 300;
    private static final int PAGE = 50;
    private static final SessionKeys KEYS = new SessionKeys("session:");

    private static Vertx vertx;
    private static RedisServer server;
    private static RedisCluster cluster;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        server = RedisServer.start();
        cluster = RedisCluster.start(3);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (server != null) {
            server.close();
        }
        if (vertx != null) {
            vertx.closeAndAwait();
        }
    }

    @Test
    void standalonePurgeCostsOneRoundTripPerPage() {
        purgeCostsOneRoundTripPerPage(new Target(false));
    }

    @Test
    void clusterPurgeCostsOneRoundTripPerPagePinnedToEachMaster() {
        purgeCostsOneRoundTripPerPage(new Target(true));
    }

    private void purgeCostsOneRoundTripPerPage(Target target) {
        List<String> sessions = target.load();
        List<String> events = target.events;
        AtomicInteger pages = new AtomicInteger();
        AtomicInteger deleted = new AtomicInteger();
        AtomicBoolean goneBefore = new AtomicBoolean();
        AtomicReference<String> goneKey = new AtomicReference<>();
        List<String> deletedKeys = new java.util.concurrent.CopyOnWriteArrayList<>();
        Boolean complete = target.scan.purge(target.topology(), TENANT, PAGE, 500, () -> false, failure -> {
        }, new TenantScan.PageHandler() {
            @Override
            public Uni<Void> beforeUnlink(List<String> page) {
                events.add("before " + page);
                // A session that expires (or is deleted) between its SCAN and its UNLINK is not counted.
                if (!goneBefore.get()) {
                    goneKey.set(page.get(0));
                }
                return goneBefore.compareAndSet(false, true)
                        ? target.redis.send(Request.cmd(io.vertx.mutiny.redis.client.Command.DEL).arg(page.get(0)))
                                .replaceWithVoid()
                        : Uni.createFrom().voidItem();
            }

            @Override
            public Uni<Void> pageDone(int scanned, List<String> page, List<String> pageDeleted,
                    List<String> pageExpired) {
                events.add("done " + page);
                pages.incrementAndGet();
                deleted.addAndGet(pageDeleted.size());
                deletedKeys.addAll(pageDeleted);
                return Uni.createFrom().voidItem();
            }
        }).await().atMost(Duration.ofSeconds(30));

        assertTrue(complete, "every cursor back to 0");
        assertEquals(SESSIONS - 1, deleted.get(), "deleted counts the keys that existed, not the one gone meanwhile");
        assertEquals(SESSIONS - 1, new java.util.HashSet<>(deletedKeys).size(), "each deleted key is named once");
        assertFalse(deletedKeys.contains(goneKey.get()), "the key gone meanwhile is not named as deleted by the purge");
        for (String session : sessions) {
            assertEquals(0, target.exists(session), "every session of the tenant is gone: " + session);
        }
        assertEquals(target.noise, target.dbSize(), "every other key is still there: " + target.otherKeys);

        List<Call> calls = events.stream().filter(e -> e.startsWith("call ")).map(Call::parse).toList();
        long nodes = target.topology().nodes().size();
        assertEquals(nodes, calls.stream().filter(call -> call.scanCursor() != null && call.unlinked().isEmpty()
                && "0".equals(call.scanCursor())).count(), "each node's first SCAN goes alone: " + calls);
        long lastPagesWithSessions = calls.stream().filter(call -> call.scanCursor() == null).count();
        assertTrue(lastPagesWithSessions <= nodes, "only a node's last page sends its UNLINKs alone: " + calls);
        assertEquals(pages.get() + lastPagesWithSessions, calls.size(),
                "one round trip per page (plus the last page's UNLINKs): " + calls);
        assertTrue(pages.get() > SESSIONS / PAGE, "the scan really went over several pages: " + pages);

        // Per node, in order: the rate limit wait for the page's sessions, then one round trip with their UNLINKs
        // and the next SCAN, then the page is done. The test's DEL is not a call of the scan.
        for (int i = 0; i < events.size(); i++) {
            if (!events.get(i).startsWith("done ")) {
                continue;
            }
            String page = events.get(i).substring("done ".length());
            int call = lastCallBefore(events, i, page);
            assertTrue(call >= 0, "a round trip unlinked " + page + " before it was done: " + events);
            if (!"[]".equals(page)) {
                assertTrue(events.subList(0, call).contains("before " + page),
                        "the rate limit wait came before the UNLINK of " + page);
            }
        }
        for (Call call : calls) {
            if (call.scanCursor() != null && !call.unlinked().isEmpty()) {
                assertTrue(call.unlinkBeforeScan(), "the UNLINKs go before the SCAN: " + call);
            }
            if (target.clustered) {
                assertTrue(call.pinnedWhenScanning(), "every SCAN is pinned with CLUSTER MYID: " + call);
                for (List<String> unlink : call.unlinks()) {
                    assertEquals(1, unlink.stream().map(ClusterSlots::slot).distinct().count(),
                            "one UNLINK names keys of one slot: " + unlink);
                }
            }
        }
    }

    /** The last recorded call before {@code events[done]} whose UNLINKs name exactly {@code page}'s keys. */
    private static int lastCallBefore(List<String> events, int done, String page) {
        List<String> keys = "[]".equals(page) ? List.of()
                : List.of(page.substring(1, page.length() - 1).split(", "));
        for (int i = done - 1; i >= 0; i--) {
            if (events.get(i).startsWith("call ")) {
                Set<String> unlinked = new HashSet<>(Call.parse(events.get(i)).unlinked());
                if (unlinked.containsAll(keys) && (!keys.isEmpty() || unlinked.isEmpty())) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Test
    void standaloneStopSendsNoFurtherScanButUnlinksThePageInHand() {
        stopSendsNoFurtherScan(new Target(false));
    }

    @Test
    void clusterStopSendsNoFurtherScanButUnlinksThePageInHand() {
        stopSendsNoFurtherScan(new Target(true));
    }

    private void stopSendsNoFurtherScan(Target target) {
        List<String> sessions = target.load();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger deleted = new AtomicInteger();
        Boolean complete = target.scan.purge(target.topology(), TENANT, PAGE, 500, stop::get, failure -> {
        }, new TenantScan.PageHandler() {
            @Override
            public Uni<Void> beforeUnlink(List<String> page) {
                if (admitted.incrementAndGet() == 2) {
                    stop.set(true); // a cancel that lands during the rate limit wait of the second page
                }
                return Uni.createFrom().voidItem();
            }

            @Override
            public Uni<Void> pageDone(int scanned, List<String> page, List<String> pageDeleted,
                    List<String> pageExpired) {
                deleted.addAndGet(pageDeleted.size());
                return Uni.createFrom().voidItem();
            }
        }).await().atMost(Duration.ofSeconds(30));

        assertFalse(complete, "a stopped scan is not complete");
        long left = sessions.stream().filter(session -> target.exists(session) == 1).count();
        assertEquals(SESSIONS - deleted.get(), left, "deleted counts exactly the keys that are gone");
        assertTrue(left > 0, "the scan stopped before the end");
        List<Call> calls = target.events.stream().filter(e -> e.startsWith("call ")).map(Call::parse).toList();
        Call stopped = calls.stream().filter(call -> call.scanCursor() == null).findFirst().orElse(null);
        assertNotNull(stopped, "the page in hand when the stop came was unlinked alone: " + calls);
        assertFalse(stopped.unlinked().isEmpty(), String.valueOf(stopped));
        // On a cluster other nodes may still be between two pages; each sends no SCAN after its stop check.
        assertTrue(calls.indexOf(stopped) >= calls.size() - target.topology().nodes().size(),
                "no SCAN after the stop: " + calls);
    }

    @Test
    void standaloneCountSendsScansOnly() {
        countSendsScansOnly(new Target(false));
    }

    @Test
    void clusterCountSendsScansOnly() {
        countSendsScansOnly(new Target(true));
    }

    private void countSendsScansOnly(Target target) {
        List<String> sessions = target.load();
        AtomicInteger seen = new AtomicInteger();
        Boolean complete = target.scan.count(target.topology(), TENANT, PAGE, () -> false, failure -> {
        }, (scanned, page, deleted, expired) -> {
            assertEquals(List.of(), deleted);
            seen.addAndGet(page.size());
            return Uni.createFrom().voidItem();
        }).await().atMost(Duration.ofSeconds(30));

        assertTrue(complete);
        assertEquals(SESSIONS, seen.get());
        assertEquals(sessions.size() + target.noise, target.dbSize(), "a count deletes nothing");
        assertTrue(target.events.stream().map(Call::parse).allMatch(call -> call.unlinked().isEmpty()),
                String.valueOf(target.events));
    }

    /** One server or the cluster, emptied, with a client that records its calls into {@code events}. */
    private static final class Target {
        final boolean clustered;
        final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        final Redis redis;
        final TenantScan scan;
        final PurgeCommands commands;
        final List<String> otherKeys = new ArrayList<>();
        int noise;

        Target(boolean clustered) {
            this.clustered = clustered;
            RedisOptions options = new RedisOptions();
            if (clustered) {
                cluster.flushAll();
                options.setType(RedisClientType.CLUSTER);
                cluster.nodes().forEach(node -> options.addConnectionString(node.uri()));
            } else {
                server.flushAll();
                options.setConnectionString(server.uri());
            }
            io.vertx.redis.client.Redis client = io.vertx.redis.client.Redis.createClient(vertx.getDelegate(),
                    options);
            this.redis = new Redis(new Recording(client));
            this.commands = new PurgeCommands(redis, clustered, Duration.ofSeconds(10), 4, "test");
            this.scan = new TenantScan(commands, new SessionKeys("session:", clustered));
        }

        /**
         * The tenant's sessions, and keys the purge must keep: other tenants', and keys under the tenant's prefix
         * that are not session keys.
         */
        List<String> load() {
            List<String> sessions = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                String key = KEYS.tenantPrefix(TENANT) + SessionIds.generate();
                sessions.add(key);
                send(Request.cmd(io.vertx.mutiny.redis.client.Command.SET).arg(key).arg("x"));
            }
            for (int i = 0; i < 200; i++) {
                otherKeys.add(KEYS.tenantPrefix("other") + SessionIds.generate());
            }
            otherKeys.add(KEYS.tenantPrefix(TENANT) + SessionIds.generate() + ":not-a-session");
            otherKeys.add(KEYS.purgeFence(TENANT));
            otherKeys.forEach(key -> send(Request.cmd(io.vertx.mutiny.redis.client.Command.SET).arg(key).arg("x")));
            noise = otherKeys.size();
            // Loaded beforehand, so every delete is an EVALSHA: the first call's NOSCRIPT is not what is counted here.
            for (RedisServer node : clustered ? cluster.masters() : List.of(server)) {
                node.cli("SCRIPT", "LOAD", LuaScripts.PURGE_UNLINK.text());
            }
            return sessions;
        }

        Topology topology() {
            return new ClusterTopology(commands).current().await().atMost(Duration.ofSeconds(10));
        }

        long exists(String key) {
            return send(Request.cmd(io.vertx.mutiny.redis.client.Command.EXISTS).arg(key)).toLong();
        }

        long dbSize() {
            return clustered ? cluster.dbSize() : server.dbSize();
        }

        /** A command of the test itself (not a SCAN or UNLINK, so not recorded). */
        io.vertx.mutiny.redis.client.Response send(Request request) {
            return redis.send(request).await().atMost(Duration.ofSeconds(10));
        }

        /**
         * The real client, noting each call (one round trip: a command or a pipeline) with a SCAN or an UNLINK, in
         * order.
         */
        private final class Recording implements io.vertx.redis.client.Redis {
            private final io.vertx.redis.client.Redis client;

            Recording(io.vertx.redis.client.Redis client) {
                this.client = client;
            }

            @Override
            public Future<RedisConnection> connect() {
                return client.connect();
            }

            @Override
            public void close() {
                client.close();
            }

            @Override
            public Future<Response> send(io.vertx.redis.client.Request request) {
                record(List.of(request));
                return client.send(request);
            }

            @Override
            public Future<List<Response>> batch(List<io.vertx.redis.client.Request> requests) {
                record(requests);
                return client.batch(requests);
            }

            private void record(List<io.vertx.redis.client.Request> requests) {
                boolean scanCall = requests.stream().anyMatch(request -> request.command() == Command.SCAN
                        || request.command() == Command.EVALSHA);
                if (scanCall) {
                    events.add("call " + String.join(" | ", requests.stream().map(Call::words)
                            .map(words -> String.join(" ", words)).toList()));
                }
            }
        }
    }

    /** One recorded round trip: its commands, each as its words. */
    private record Call(List<List<String>> commands) {

        static Call parse(String event) {
            List<List<String>> commands = new ArrayList<>();
            for (String command : event.substring("call ".length()).split(" \\| ")) {
                commands.add(List.of(command.split(" ")));
            }
            return new Call(commands);
        }

        /** The words of a request, from its RESP encoding ({@code *n $len word ...}). */
        static List<String> words(io.vertx.redis.client.Request request) {
            String[] lines = request.toString().split("\r\n");
            List<String> words = new ArrayList<>();
            for (int i = 2; i < lines.length; i += 2) {
                words.add(i == 2 ? lines[i].toUpperCase(java.util.Locale.ROOT) : lines[i]); // the client sends "scan"
            }
            return words;
        }

        /** The keys of each delete ({@code EVALSHA <sha> <n> <keys>} of purge-unlink.lua). */
        List<List<String>> unlinks() {
            // EVALSHA <sha> <n> <expiry index> <its user ids> <session keys...> <prefix length>
            return commands.stream().filter(Call::isUnlink).map(words -> words.subList(5, words.size() - 1)).toList();
        }

        static boolean isUnlink(List<String> words) {
            return words.get(0).equals("EVALSHA");
        }

        List<String> unlinked() {
            return unlinks().stream().flatMap(List::stream).toList();
        }

        /** The cursor of its SCAN, {@code null} without one. */
        String scanCursor() {
            return commands.stream().filter(words -> words.get(0).equals("SCAN")).map(words -> words.get(1))
                    .findFirst().orElse(null);
        }

        boolean unlinkBeforeScan() {
            int lastUnlink = -1;
            int scan = -1;
            for (int i = 0; i < commands.size(); i++) {
                if (isUnlink(commands.get(i))) {
                    lastUnlink = i;
                } else if (commands.get(i).get(0).equals("SCAN")) {
                    scan = i;
                }
            }
            return lastUnlink < scan;
        }

        /** Without a SCAN, or with {@code MULTI, EXISTS <route>, CLUSTER MYID, SCAN, EXEC} after the UNLINKs. */
        boolean pinnedWhenScanning() {
            if (scanCursor() == null) {
                return true;
            }
            List<String> names = commands.stream().filter(words -> !isUnlink(words)).map(words -> words.get(0))
                    .toList();
            return names.equals(List.of("MULTI", "EXISTS", "CLUSTER", "SCAN", "EXEC"));
        }
    }
}
