package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The store's sockets stop carrying anything while staying open (a lost NAT entry, a stuck proxy) and new
 * connections still work: the store closes the dead sockets for real and opens new ones, so sessions answer again
 * within two deadlines. Uses its own server behind a proxy that black-holes the connections it holds.
 */
class DeadSocketTest {

    static final RedisServer REDIS = TestRedis.dedicated("dead-socket-test");
    static final DelayingProxy.Handle PROXY = DelayingProxy.dedicated("dead-socket-test", REDIS.port());
    static final Duration TIMEOUT = Duration.ofSeconds(1);

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(SessionServlet.class, Sessions.class, DelayingProxy.class,
            DelayingProxy.Handle.class)
            .overrideConfigKey("quarkus.redis.hosts", PROXY.uri())
            .overrideConfigKey("quarkus.redis-session.timeout", "1S");

    @AfterAll
    static void stopRedis() {
        REDIS.stop();
    }

    @Test
    void blackHoledSocketsAreReplacedWithinTwoDeadlines() {
        String id = Sessions.put(null, "n", "1");
        for (int i = 0; i < 4; i++) { // every store connection open and used
            given().cookie("JSESSIONID", id).get("/s/attr/n").then().statusCode(200);
        }
        long connectionsBefore = PROXY.acceptedConnections();
        PROXY.blackHoleOpenConnections();
        long start = System.nanoTime();
        Poll.until(Duration.ofSeconds(10), "the session to answer again through new sockets",
                () -> given().cookie("JSESSIONID", id).get("/s/attr/n").statusCode() == 200);
        Duration recovered = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(recovered.compareTo(TIMEOUT.multipliedBy(2)) <= 0,
                "sessions answered again " + recovered.toMillis() + " ms after the black hole, more than two "
                        + "deadlines (" + TIMEOUT.multipliedBy(2).toMillis() + " ms)");
        assertTrue(PROXY.acceptedConnections() > connectionsBefore, "the store opened new sockets");
        // and a write, which needs the other connection too
        Sessions.put(id, "n", "2");
        given().cookie("JSESSIONID", id).get("/s/attr/n").then().statusCode(200);
        System.out.println("DeadSocketTest: recovered after " + recovered.toMillis() + " ms");
    }
}
