package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.runtime.keys.ClusterSlots;
import dev.redissession.runtime.keys.SessionKeys;
import dev.redissession.testing.RedisCluster;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/** The same behaviour on a real 3-master Redis Cluster. */
class ClusterSessionTest {

    static final RedisCluster CLUSTER = TestRedis.cluster();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(CLUSTER, SessionServlet.class, Sessions.class)
            .overrideConfigKey("quarkus.redis-session.tenant.default", "cluster-test");

    @Test
    void createReadWriteRotateInvalidate() {
        String id = Sessions.put(null, "user", "\"grace\"");
        Sessions.put(id, "lang", "\"ja\"");
        given().cookie("JSESSIONID", id).get("/s/all").then().statusCode(200)
                .body("user", equalTo("grace")).body("lang", equalTo("ja"));

        Response rotated = given().cookie("JSESSIONID", id).post("/s/rotate");
        rotated.then().statusCode(200);
        String fresh = rotated.getCookie("JSESSIONID");
        assertNotEquals(id, fresh);
        assertEquals("0", CLUSTER.cli("EXISTS", "session:cluster-test:" + id));
        given().cookie("JSESSIONID", id).get("/s/attr/user").then().statusCode(401);
        given().cookie("JSESSIONID", fresh).get("/s/attr/user").then().statusCode(200).body("value", equalTo("grace"));

        given().cookie("JSESSIONID", fresh).post("/s/invalidate").then().statusCode(204);
        assertEquals("0", CLUSTER.cli("EXISTS", "session:cluster-test:" + fresh));
    }

    @Test
    void aRotationUnderThePurgeFenceOfItsSlotIsRefused() {
        String old = Sessions.put(null, "user", "\"mia\"");
        int slot = ClusterSlots.slot("session:cluster-test:" + old);
        String fence = new SessionKeys("session:").purgeFence("cluster-test", slot, true);
        CLUSTER.cli("SET", fence, String.valueOf(System.currentTimeMillis() + 1000), "PX", "60000");
        try {
            given().cookie("JSESSIONID", old).post("/s/rotate").then().statusCode(409);
            assertEquals("0", CLUSTER.cli("EXISTS", "session:cluster-test:" + old));
        } finally {
            CLUSTER.cli("DEL", fence);
        }
    }

    @Test
    void rotationsAcrossManySessionsNeverHitCrossSlot() {
        for (int i = 0; i < 20; i++) {
            String id = Sessions.put(null, "n", String.valueOf(i));
            String fresh = given().cookie("JSESSIONID", id).post("/s/rotate").then().statusCode(200).extract()
                    .cookie("JSESSIONID");
            given().cookie("JSESSIONID", fresh).get("/s/attr/n").then().statusCode(200).body("value", equalTo(i));
        }
    }

    @Test
    void costsAreTheSameOnACluster() {
        String id = Sessions.put(null, "a", "1");
        CLUSTER.resetStats();
        given().cookie("JSESSIONID", id).get("/s/ping").then().statusCode(200);
        given().cookie("JSESSIONID", id).get("/s/attr/a").then().statusCode(200);
        assertEquals(1L, CLUSTER.commandCalls("getex"));
        assertEquals(0L, CLUSTER.commandCalls("get"));

        // The first write on a node that never ran the script: EVALSHA answers NOSCRIPT, EVAL loads it.
        Sessions.put(id, "b", "2");
        assertEquals(1L, CLUSTER.commandCalls("evalsha"));
        assertTrue(CLUSTER.commandCalls("eval") <= 1);

        CLUSTER.resetStats();
        Sessions.put(id, "c", "3");
        assertEquals(1L, CLUSTER.commandCalls("getex"));
        assertEquals(1L, CLUSTER.commandCalls("evalsha"));
        assertEquals(0L, CLUSTER.commandCalls("eval"), "the script is cached on the node now");
    }

    @Test
    void concurrentWritersKeepEveryAttribute() throws Exception {
        String id = Sessions.put(null, "start", "true");
        List<CompletableFuture<Integer>> writers = IntStream.range(0, 16)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> given().cookie("JSESSIONID", id)
                        .body(String.valueOf(i)).put("/s/attr/w" + i).statusCode()))
                .toList();
        for (CompletableFuture<Integer> writer : writers) {
            assertEquals(204, writer.get());
        }
        Map<String, Object> all = given().cookie("JSESSIONID", id).get("/s/all").then().statusCode(200).extract()
                .jsonPath().getMap("");
        for (int i = 0; i < 16; i++) {
            assertEquals(i, all.get("w" + i), "w" + i);
        }
    }
}
