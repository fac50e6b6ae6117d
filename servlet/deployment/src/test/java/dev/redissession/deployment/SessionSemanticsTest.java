package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redissession.SessionAttributeType;
import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * Servlet semantics with the default settings: a stable creation time, the last access time of the previous request
 * kept fresh within the touch interval, and values changed in place (without a second {@code setAttribute}) saved,
 * merged like any change, and never written when unchanged.
 */
class SessionSemanticsTest {

    static final RedisServer REDIS = TestRedis.standalone();
    static final String PREFIX = "session:semantics:";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionServlet.class, Sessions.class, BasketServlet.class,
            Basket.class).overrideConfigKey("quarkus.redis-session.tenant.default", "semantics");

    @Test
    void creationTimeIsTheSameInTheCreatingRequestAndEveryLaterOne() throws Exception {
        Response created = given().post("/s/meta");
        created.then().statusCode(200);
        String id = created.getCookie("JSESSIONID");
        long creation = created.jsonPath().getLong("created");
        assertEquals(creation, created.jsonPath().getLong("lastAccessed"), "a new session was last accessed when created");
        assertEquals(Instant.ofEpochMilli(creation), Instant.parse(stored(id).get("created_at").textValue()),
                "what the creating request reported is what is stored");
        for (int i = 0; i < 2; i++) {
            assertEquals(creation, given().cookie("JSESSIONID", id).get("/s/meta").jsonPath().getLong("created"));
        }
    }

    @Test
    void lastAccessedTimeIsThePreviousRequestsAndATouchCostsOneWritePerInterval() throws Exception {
        String id = Sessions.put(null, "a", "1");
        Sessions.put(id, "b", "2"); // loads the write script into Redis, so the touch below costs EVALSHA only
        Instant aged = Instant.now().minusSeconds(120).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        ObjectNode value = stored(id);
        value.put("last_accessed_at", aged.toString());
        REDIS.cli("SET", PREFIX + id, value.toString(), "KEEPTTL");

        REDIS.resetStats();
        Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        long previous = given().cookie("JSESSIONID", id).get("/s/meta").jsonPath().getLong("lastAccessed");
        assertEquals(aged.toEpochMilli(), previous, "the time of the previous request, as stored");
        assertEquals(Map.of("getex", 1L, "evalsha", 1L, "get", 1L, "set", 1L), TestApps.sessionCommands(REDIS),
                "older than the 60 s touch interval: one compare-and-set writes the access time");
        Instant touched = Instant.parse(stored(id).get("last_accessed_at").textValue());
        assertTrue(!touched.isBefore(before), touched + " is the time of the request that started at " + before);

        REDIS.resetStats();
        long next = given().cookie("JSESSIONID", id).get("/s/meta").jsonPath().getLong("lastAccessed");
        assertEquals(touched.toEpochMilli(), next);
        assertEquals(Map.of("getex", 1L), TestApps.sessionCommands(REDIS), "within the interval a read is one GETEX");
        assertEquals(1, given().cookie("JSESSIONID", id).get("/s/attr/a").jsonPath().getInt("value"));
    }

    @Test
    void aSlowRequestThatFinishesAfterAFastOneNeverWritesAnOlderLastAccessTime() throws Exception {
        String id = Sessions.put(null, "a", "1");
        java.util.concurrent.atomic.AtomicReference<Instant> fast = new java.util.concurrent.atomic.AtomicReference<>();
        Response slow = Sessions.interleave(
                () -> given().cookie("JSESSIONID", id).body("2").put("/s/attr/slow?hold=held"),
                () -> {
                    // The fast request reads the session a little after the slow one did, so its access time is later.
                    Instant slowRead = Instant.now();
                    Poll.until(java.time.Duration.ofSeconds(1), "the clock to move past the slow request's read",
                            () -> Instant.now().isAfter(slowRead.plusMillis(20)));
                    Sessions.put(id, "fast", "3");
                    fast.set(lastAccess(id));
                });
        slow.then().statusCode(204);

        ObjectNode after = stored(id);
        assertEquals(fast.get(), lastAccess(id), "the slow request, which read the session first, finished last and "
                + "kept the fast one's later last_accessed_at");
        assertEquals(2, after.get("slow").intValue());
        assertEquals(3, after.get("fast").intValue(), "merged onto the fast request's write");
    }

    private static Instant lastAccess(String id) {
        try {
            return Instant.parse(stored(id).get("last_accessed_at").textValue());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aListChangedInPlaceIsSavedAndAnUnchangedOneIsNotWritten() throws Exception {
        String id = Sessions.put(null, "cart", "[\"apple\"]");
        Sessions.put(id, "b", "2"); // loads the write script into Redis, so the change below costs EVALSHA only
        REDIS.resetStats();
        given().cookie("JSESSIONID", id).body("\"pear\"").post("/s/append/cart").then().statusCode(204);
        assertEquals(Map.of("getex", 1L, "evalsha", 1L, "get", 1L, "set", 1L), TestApps.sessionCommands(REDIS));
        assertEquals(JSON.readTree("[\"apple\",\"pear\"]"), stored(id).get("cart"));

        REDIS.resetStats();
        given().cookie("JSESSIONID", id).get("/s/all").then().statusCode(200);
        assertEquals(Map.of("getex", 1L), TestApps.sessionCommands(REDIS), "read, re-encoded, unchanged: no write");
    }

    @Test
    void anInPlaceChangeIsMergedWithAConcurrentChangeOfAnotherAttribute() throws Exception {
        String id = Sessions.put(null, "cart", "[1]");
        SessionServlet.hold("appender");
        CompletableFuture<Integer> appender = CompletableFuture.supplyAsync(() -> given().cookie("JSESSIONID", id)
                .body("2").post("/s/append/cart?hold=appender").statusCode());
        SessionServlet.awaitLoaded("appender");
        Sessions.put(id, "other", "\"kept\"");
        SessionServlet.release("appender");
        assertEquals(204, appender.get(20, TimeUnit.SECONDS));
        ObjectNode value = stored(id);
        assertEquals(JSON.readTree("[1,2]"), value.get("cart"), "the in-place change survived the merge: " + value);
        assertEquals("kept", value.get("other").textValue(), "and so did the other request's change: " + value);
    }

    @Test
    void aRegisteredClassChangedInPlaceIsSaved() {
        String id = given().body("tea").post("/basket").then().statusCode(200).extract().cookie("JSESSIONID");
        // The first request changed the basket after its setAttribute, this one without any.
        given().cookie("JSESSIONID", id).body("milk").post("/basket").then().statusCode(200);
        assertEquals(List.of("tea", "milk"), given().cookie("JSESSIONID", id).get("/basket").jsonPath().getList(""));
        REDIS.resetStats();
        given().cookie("JSESSIONID", id).get("/basket").then().statusCode(200);
        assertEquals(Map.of("getex", 1L), TestApps.sessionCommands(REDIS));
    }

    static ObjectNode stored(String id) throws IOException {
        return (ObjectNode) JSON.readTree(REDIS.cli("GET", PREFIX + id));
    }

    /** A registered, mutable attribute type. */
    @SessionAttributeType("basket")
    public static class Basket {
        public List<String> items = new ArrayList<>();
    }

    /** {@code POST /basket} adds its body to the session's basket in place; {@code GET /basket} lists it. */
    @WebServlet(urlPatterns = "/basket")
    public static class BasketServlet extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession session = req.getSession(true);
            Basket basket = (Basket) session.getAttribute("basket");
            if (basket == null) {
                basket = new Basket();
                session.setAttribute("basket", basket);
            }
            basket.items.add(new String(req.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            doGet(req, resp);
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            SessionServlet.json(resp, ((Basket) req.getSession(false).getAttribute("basket")).items);
        }
    }
}
