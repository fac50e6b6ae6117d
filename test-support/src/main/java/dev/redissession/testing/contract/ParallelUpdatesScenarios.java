package dev.redissession.testing.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redissession.testing.RedisCluster;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.contract.AppReplicas.App;
import dev.redissession.testing.contract.AppReplicas.Reply;

/**
 * Read-modify-write without lost updates across replicas: 40 parallel adds to one cart and 40 parallel increments of
 * one counter, spread over two replicas of a packaged app of the session contract, leave exactly 40, on standalone
 * Redis and on a Cluster. A concrete subclass is a failsafe test of one app.
 */
public abstract class ParallelUpdatesScenarios {

    static final int PARALLEL = 40;

    @Test
    void onStandalone() throws Exception {
        RedisServer redis = RedisServer.start();
        try (AppReplicas replicas = new AppReplicas("parallel-standalone")) {
            fortyOfEach(replicas.start("a", redis.uri()), replicas.start("b", redis.uri()));
        } finally {
            redis.stop();
        }
    }

    @Test
    void onACluster() throws Exception {
        RedisCluster cluster = RedisCluster.start(3);
        try (AppReplicas replicas = new AppReplicas("parallel-cluster")) {
            String clusterClient = "quarkus.redis.client-type=cluster";
            fortyOfEach(replicas.start("a", cluster.hosts(), clusterClient),
                    replicas.start("b", cluster.hosts(), clusterClient));
        } finally {
            cluster.stop();
        }
    }

    private static void fortyOfEach(App a, App b) throws Exception {
        String id = AppReplicas.send(a.uri("/demo/login"), "POST", "acme", null, "{\"user_id\":\"u-parallel\"}")
                .sessionId();
        inParallel(i -> send(i % 2 == 0 ? a : b, "POST", "/demo/cart/items", id, "{\"sku\":\"item-" + i + "\"}"));
        inParallel(i -> send(i % 2 == 0 ? a : b, "POST", "/demo/counter", id, null));
        JsonNode cart = send(b, "GET", "/demo/cart", id, null).json();
        assertEquals(PARALLEL, cart.size(), "every add landed: " + cart);
        JsonNode me = send(a, "GET", "/demo/me", id, null).json();
        assertEquals(PARALLEL, me.path("counter").asInt(), "every increment counted: " + me);
    }

    /** {@link #PARALLEL} requests at once; each must answer 200. */
    private static void inParallel(IntFunction<Reply> request) throws Exception {
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

    private static Reply send(App replica, String method, String path, String id, String body) {
        try {
            return AppReplicas.send(replica.uri(path), method, "acme", id, body);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
