package dev.redissession.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redissession.demo.DemoReplicas.App;
import dev.redissession.demo.DemoReplicas.Reply;
import dev.redissession.testing.RedisCluster;
import dev.redissession.testing.RedisServer;

/**
 * Read-modify-write without lost updates across replicas: 40 parallel adds to one cart and 40 parallel increments of
 * one counter (through both doors), spread over two replicas, leave exactly 40, on standalone Redis and on a Cluster.
 */
class ParallelUpdatesIT {

    static final int PARALLEL = 40;

    @Test
    void onStandalone() throws Exception {
        RedisServer redis = RedisServer.start();
        try (DemoReplicas replicas = new DemoReplicas("parallel-standalone")) {
            fortyOfEach(replicas.start("a", redis.uri()), replicas.start("b", redis.uri()));
        } finally {
            redis.stop();
        }
    }

    @Test
    void onACluster() throws Exception {
        RedisCluster cluster = RedisCluster.start(3);
        try (DemoReplicas replicas = new DemoReplicas("parallel-cluster")) {
            String[] clusterClient = { "quarkus.redis.client-type=cluster" };
            fortyOfEach(replicas.start("a", cluster.hosts(), clusterClient),
                    replicas.start("b", cluster.hosts(), clusterClient));
        } finally {
            cluster.stop();
        }
    }

    private static void fortyOfEach(App a, App b) throws Exception {
        String id = DemoReplicas.send(a.uri("/demo/login"), "POST", "acme", null, "{\"user_id\":\"u-parallel\"}")
                .sessionId();
        inParallel(i -> call(i % 2 == 0 ? a : b, "/demo/cart/items", id, "{\"sku\":\"item-" + i + "\"}"));
        // The counter through both doors: the servlet's and the quarkus-rest resource's.
        inParallel(i -> call(i % 2 == 0 ? a : b, i % 4 < 2 ? "/demo/counter" : "/api/counter", id, null));
        JsonNode cart = DemoReplicas.JSON.readTree(call(b, "/demo/cart", id, null).body());
        assertEquals(PARALLEL, cart.size(), "every add landed: " + cart);
        JsonNode me = DemoReplicas.JSON.readTree(call(a, "/api/me", id, null).body());
        assertEquals(PARALLEL, me.path("counter").asInt(), "every increment counted: " + me);
    }

    /** {@link #PARALLEL} requests at once; each must answer 200. */
    private static void inParallel(java.util.function.IntFunction<Reply> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                int n = i;
                replies.add(CompletableFuture.supplyAsync(() -> request.apply(n), pool));
            }
            for (CompletableFuture<Reply> reply : replies) {
                assertEquals(200, reply.get().status(), reply.get().body());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Reply call(App replica, String path, String id, String body) {
        try {
            return DemoReplicas.send(replica.uri(path), path.endsWith("cart") || path.endsWith("/me") ? "GET" : "POST",
                    "acme", id, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
