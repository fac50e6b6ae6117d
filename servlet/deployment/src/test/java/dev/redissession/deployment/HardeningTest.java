package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * What an attacker or an unlucky network can do: cookies with safe flags and only cookies, size limits that write
 * nothing, values too deep to store, an answer that comes after the deadline, parallel logins with one cookie.
 * Uses its own server behind a proxy that can delay Redis's answers.
 */
class HardeningTest {

    static final RedisServer REDIS = TestRedis.dedicated("hardening-test");
    static final DelayingProxy.Handle PROXY = DelayingProxy.dedicated("hardening-test", REDIS.port());
    private static final String PREFIX = "session:default:";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(SessionServlet.class, Sessions.class, DelayingProxy.class,
            DelayingProxy.Handle.class)
            .overrideConfigKey("quarkus.redis.hosts", PROXY.uri())
            .overrideConfigKey("quarkus.redis-session.timeout", "1S")
            .overrideConfigKey("quarkus.redis-session.max-size", "64K")
            .overrideConfigKey("quarkus.redis-session.anonymous.max-size", "64K")
            .overrideConfigKey("quarkus.redis-session.max-attributes", "20")
            .overrideConfigKey("quarkus.http.proxy.proxy-address-forwarding", "true")
            .overrideConfigKey("quarkus.http.proxy.allow-x-forwarded", "true");

    @AfterAll
    static void stopRedis() {
        REDIS.stop();
    }

    @Test
    void theCookieIsHttpOnlyLaxAndSecureBehindATlsProxy() {
        String plain = given().body("1").put("/s/attr/x").header("Set-Cookie");
        assertTrue(plain.contains("HttpOnly") && plain.contains("SameSite=Lax"), plain);
        assertFalse(plain.toLowerCase().contains("secure"), "plain HTTP: not Secure: " + plain);
        String forwarded = given().header("X-Forwarded-Proto", "https").body("1").put("/s/attr/x")
                .header("Set-Cookie");
        assertTrue(forwarded.toLowerCase().contains("; secure") && forwarded.contains("HttpOnly"), forwarded);
    }

    @Test
    void anIdInTheUrlIsNeverReadNorWritten() {
        String id = Sessions.put(null, "user", "\"kim\"");
        given().get("/s/attr/user;jsessionid=" + id).then().statusCode(401);
        given().cookie("JSESSIONID", id).get("/s/encode").then().statusCode(200).body(equalTo("/next"));
    }

    @Test
    void aValueLargerThanTheWholeSessionFailsAtSetAttribute() {
        String id = Sessions.put(null, "small", "1");
        given().cookie("JSESSIONID", id).body("\"" + "x".repeat(70_000) + "\"").put("/s/attr/big").then()
                .statusCode(422).body(containsString("quarkus.redis-session.max-size"));
        assertFalse(REDIS.cli("GET", PREFIX + id).contains("big"));
    }

    @Test
    void aChangeOverTheLimitsWritesNothingAndIs413() {
        String id = Sessions.put(null, "a", "\"" + "x".repeat(40_000) + "\"");
        String before = REDIS.cli("GET", PREFIX + id);
        given().cookie("JSESSIONID", id).body("\"" + "y".repeat(40_000) + "\"").put("/s/attr/b").then()
                .statusCode(413).body("error", equalTo("session_too_large"));
        assertEquals(before, REDIS.cli("GET", PREFIX + id), "nothing written");

        String many = Sessions.put(null, "n0", "0");
        for (int i = 1; i < 20; i++) {
            Sessions.put(many, "n" + i, String.valueOf(i));
        }
        given().cookie("JSESSIONID", many).body("20").put("/s/attr/n20").then().statusCode(413)
                .body("message", containsString("max-attributes"));
        given().cookie("JSESSIONID", many).get("/s/attr/n19").then().statusCode(200);
    }

    @Test
    void aStoredValueOverTheLimitIsNeverParsed() {
        String id = Sessions.put(null, "user", "\"kim\"");
        REDIS.cli("SET", PREFIX + id, "{\"user_id\":\"" + "z".repeat(70_000) + "\"}");
        given().cookie("JSESSIONID", id).get("/s/attr/user").then().statusCode(401);
        assertTrue(REDIS.cli("GET", PREFIX + id).length() > 70_000, "left untouched");
    }

    @Test
    void aValueNestedTooDeepFailsAtSetAttribute() {
        String id = Sessions.put(null, "small", "1");
        given().cookie("JSESSIONID", id).body("[".repeat(200) + "]".repeat(200)).put("/s/attr/deep").then()
                .statusCode(422).body(containsString("levels deep"));
    }

    /** The write's answer comes after the deadline, but the check that follows it on its connection finds it. */
    @Test
    void aLateAnswerOfAnAppliedRotationStillGivesTheClientTheNewId() throws InterruptedException {
        String old = Sessions.put(null, "user", "\"kim\"");
        SessionServlet.hold("late-rotation");
        CompletableFuture<Response> rotation = CompletableFuture.supplyAsync(() -> given().cookie("JSESSIONID", old)
                .post("/s/rotate?hold=late-rotation"));
        SessionServlet.awaitLoaded("late-rotation");
        PROXY.delayNextAnswer(1500);
        SessionServlet.release("late-rotation");
        Response answer = rotation.join();
        answer.then().statusCode(200);
        String fresh = answer.getCookie("JSESSIONID");
        assertTrue(fresh != null && !fresh.equals(old), "the client gets the id the session now lives under");
        assertTrue(REDIS.cli("GET", PREFIX + fresh).contains("kim"));
        assertEquals("", REDIS.cli("GET", PREFIX + old));
    }

    /**
     * A client that leaves while its session is read from Redis (as wrk does with its open requests when it stops)
     * ends the exchange while the request still runs: the request goes on with its session, no error.
     */
    @Test
    void aClientLeavingWhileItsSessionIsReadCostsTheRequestNothing() throws Exception {
        String id = Sessions.put(null, "counter", "0");
        SessionServlet.hold("left");
        long reads = REDIS.commandCalls("getex");
        PROXY.delayNextAnswer(700);
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port)) {
            OutputStream out = client.getOutputStream();
            out.write(("PUT /s/attr/counter?hold=left HTTP/1.1\r\nHost: localhost\r\nCookie: JSESSIONID=" + id
                    + "\r\nContent-Length: 1\r\n\r\n1").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Poll.until(Duration.ofSeconds(10), "the request to read its session",
                    () -> REDIS.commandCalls("getex") > reads);
        } // gone before the answer, which the proxy holds back
        SessionServlet.awaitLoaded("left");
        SessionServlet.release("left");
    }

    /** No answer at all within two deadlines: the 503 says the outcome is unknown, never that the session is kept. */
    @Test
    void aWriteWithNoAnswerIsReportedAsUnknown() throws InterruptedException {
        String id = Sessions.put(null, "counter", "0");
        SessionServlet.hold("unanswered");
        CompletableFuture<Response> change = CompletableFuture.supplyAsync(() -> given().cookie("JSESSIONID", id)
                .body("1").put("/s/attr/counter?hold=unanswered"));
        SessionServlet.awaitLoaded("unanswered");
        PROXY.delayNextAnswer(2500);
        SessionServlet.release("unanswered");
        Response answer = change.join();
        answer.then().statusCode(503).body("message", containsString("unknown"))
                .body("message", org.hamcrest.Matchers.not(containsString("kept")));
        assertNull(answer.getCookie("JSESSIONID"));
    }

    /** Twenty logins at once with one cookie: one wins; no loser's answer clears the cookie the winner set. */
    @Test
    void losingParallelLoginsLeaveTheWinnersCookieAlone() {
        String id = Sessions.put(null, "user", "\"kim\"");
        List<CompletableFuture<Response>> logins = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            logins.add(CompletableFuture.supplyAsync(() -> given().cookie("JSESSIONID", id).post("/s/rotate")));
        }
        int won = 0;
        for (CompletableFuture<Response> login : logins) {
            Response response = login.join();
            if (response.statusCode() == 200) {
                won++;
            } else {
                // 409 when it lost the race to write, 401 when it read the session after the winner moved it.
                assertTrue(response.statusCode() == 409 || response.statusCode() == 401, response.asString());
                assertNull(response.getHeader("Set-Cookie"), "a losing login sends no cookie");
            }
        }
        assertEquals(1, won, "exactly one rotation wins");
    }
}
