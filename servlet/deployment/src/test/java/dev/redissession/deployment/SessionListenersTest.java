package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.TenantPurge;
import dev.redissession.testing.Poll;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * What {@code @WebListener} session listeners see: each event fires in the request that caused it (so on the replica
 * that served it); {@code sessionDestroyed} fires on {@code invalidate()} (attributes readable) and when a purge
 * deletes the session (on the purging replica, outside any request, the id only), never when someone else deletes the
 * key.
 */
class SessionListenersTest {

    static final RedisServer REDIS = TestRedis.standalone();
    static final String PREFIX = "session:listeners:";

    @Inject
    TenantPurge purge;

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionServlet.class, Sessions.class, Recorder.class)
            .overrideConfigKey("quarkus.redis-session.tenant.default", "listeners");

    @Test
    void sessionListenerSeesCreationAndInvalidateButNotExpiryOrDeletion() {
        String id = Sessions.put(null, "a", "1");
        assertEquals(List.of("created", "added a"), Recorder.of(id));
        given().cookie("JSESSIONID", id).post("/s/invalidate").then().statusCode(204);
        // Undertow's listener bridge removes each attribute of a destroyed session, after sessionDestroyed: the seed
        // field tenant_id too, which the store wrote itself (so no listener heard it added).
        assertEquals(List.of("created", "added a", "destroyed", "removed tenant_id", "removed a"), Recorder.of(id));

        String expiring = Sessions.put(null, "a", "1");
        given().cookie("JSESSIONID", expiring).put("/s/max-inactive?seconds=1").then().statusCode(204);
        Poll.until(Duration.ofSeconds(20), "Redis to expire the session",
                () -> REDIS.cli("EXISTS", PREFIX + expiring).equals("0"));
        String deleted = Sessions.put(null, "a", "1");
        REDIS.cli("DEL", PREFIX + deleted);
        for (String gone : List.of(expiring, deleted)) {
            given().cookie("JSESSIONID", gone).get("/s/attr/a").then().statusCode(401);
            assertEquals(List.of("created", "added a"), Recorder.of(gone), "no sessionDestroyed for " + gone);
        }
    }

    @Test
    void aPurgedSessionIsDestroyedOnceWithItsIdOnly() {
        String id = Sessions.put(null, "a", "1");
        String stillThere = Sessions.put(null, "a", "1");
        REDIS.cli("DEL", PREFIX + stillThere); // gone before the purge: not the purge's to announce
        purge.purge("listeners").collect().last().await().atMost(Duration.ofSeconds(20));
        Poll.until(Duration.ofSeconds(10), "sessionDestroyed for the purged session",
                () -> Recorder.of(id).contains("destroyed"));
        assertEquals(List.of("created", "added a", "destroyed"), Recorder.of(id),
                "destroyed once, and no attribute to remove: the value is gone");
        assertEquals(List.of("created", "added a"), Recorder.of(stillThere));
    }

    @Test
    void attributeListenerSeesSetReplaceAndRemoveButNotChangesInPlace() {
        String id = Sessions.put(null, "list", "[1]");
        Sessions.put(id, "list", "[2]");
        given().cookie("JSESSIONID", id).body("3").post("/s/append/list").then().statusCode(204);
        given().cookie("JSESSIONID", id).delete("/s/attr/list").then().statusCode(204);
        assertEquals(List.of("created", "added list", "replaced list", "removed list"), Recorder.of(id));
    }

    @Test
    void idListenerSeesRotation() {
        String id = Sessions.put(null, "a", "1");
        String fresh = given().cookie("JSESSIONID", id).post("/s/rotate").then().statusCode(200).extract()
                .jsonPath().getString("id");
        assertEquals(List.of("id changed from " + id), Recorder.of(fresh));
    }

    /** Records every session event with the session id it was for. */
    @WebListener
    public static class Recorder implements HttpSessionListener, HttpSessionAttributeListener, HttpSessionIdListener {
        static final List<String[]> EVENTS = new CopyOnWriteArrayList<>();

        static List<String> of(String id) {
            return EVENTS.stream().filter(e -> e[0].equals(id)).map(e -> e[1]).toList();
        }

        private static void record(HttpSessionEvent event, String what) {
            EVENTS.add(new String[] { event.getSession().getId(), what });
        }

        @Override
        public void sessionCreated(HttpSessionEvent event) {
            record(event, "created");
        }

        @Override
        public void sessionDestroyed(HttpSessionEvent event) {
            record(event, "destroyed");
        }

        @Override
        public void attributeAdded(HttpSessionBindingEvent event) {
            record(event, "added " + event.getName());
        }

        @Override
        public void attributeReplaced(HttpSessionBindingEvent event) {
            record(event, "replaced " + event.getName());
        }

        @Override
        public void attributeRemoved(HttpSessionBindingEvent event) {
            record(event, "removed " + event.getName());
        }

        @Override
        public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
            record(event, "id changed from " + oldSessionId);
        }
    }
}
