package dev.redissession.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.contract.AppReplicas;
import dev.redissession.testing.contract.AppReplicas.App;
import dev.redissession.testing.contract.ContractRequests;

/**
 * The demo page in a real headless Chromium, through HAProxy (round robin, no stickiness) in front of two packaged
 * replicas on one redis-server: one user's session seen by both replicas, the counter, what Redis holds, logout,
 * the admin panel's purge, and errors as sentences (bad tenant, no session, wrong admin password, Redis down).
 * Fails, naming the program, when chromium, chromedriver or haproxy is missing ({@link Binaries#INSTALL}).
 * Screenshot: {@code target/demo-page.png}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserIT {

    static final String TENANT = "acme";
    static final Path SCREENSHOT = Path.of("target", "demo-page.png");

    static RedisServer redis;
    static AppReplicas replicas;
    static HaProxy proxy;
    static DemoPage page;
    static App a;
    static App b;
    /** What each replica says its name is, asked directly. */
    static Set<String> replicaNames;
    static String sessionId;

    @BeforeAll
    static void startEverything() throws Exception {
        // Missing programs fail here, before minutes are spent on starting the rest.
        List.of("chromium", "chromedriver", "haproxy").forEach(Binaries::require);
        replicas = new AppReplicas("browser");
        redis = RedisServer.start();
        try {
            a = replicas.start("a", redis.uri());
            b = replicas.start("b", redis.uri());
            replicaNames = Set.of(replicaName(a), replicaName(b));
            assertEquals(2, replicaNames.size(), "two replicas on one host have different default names");
            proxy = HaProxy.start("browser", List.of(a, b));
            page = DemoPage.start("browser");
            page.open(proxy.uri("/"));
        } catch (Throwable e) {
            stopAll();
            throw e;
        }
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (page != null) {
            page.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (replicas != null) {
            replicas.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    static String replicaName(App app) throws Exception {
        String name = AppReplicas.send(app.uri("/demo/ping"), "GET", null, null, null).header(ReplicaHeader.HEADER);
        assertNotNull(name, "replica " + app.name() + " sends X-Replica");
        return name;
    }

    @Test
    @Order(1)
    void theFormLogsInAndEveryReplicaShowsTheSameUser() throws Exception {
        logIn();
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            page.click("refresh");
            JsonNode session = ContractRequests.JSON.readTree(page.text("session"));
            assertEquals("u-7", session.path("user_id").asText(), "refresh " + i + ": " + session);
            assertEquals(TENANT, session.path("tenant_id").asText());
            assertEquals("hanako@example.com", session.path("email").asText());
            assertEquals("Hanako", session.path("name").asText());
            assertEquals("[\"user\",\"admin\"]", session.path("roles").toString());
            answered.add(page.text("replica"));
        }
        assertEquals(replicaNames, answered, "round robin: both replicas answered the refreshes");
    }

    @Test
    @Order(2)
    void theCounterCountsAcrossReplicasAndThePageShowsWhatRedisHolds() throws Exception {
        Set<String> answered = new HashSet<>();
        for (int i = 1; i <= 4; i++) {
            page.click("counter");
            assertEquals(String.valueOf(i), page.text("counter_value"), "each click sees every earlier one");
            answered.add(page.text("replica"));
        }
        assertEquals(replicaNames, answered, "both replicas counted");
        page.click("counter_rest");
        assertEquals("5", page.text("counter_value"), "the quarkus-rest door counts on in the same session");
        page.click("counter");
        assertEquals("6", page.text("counter_value"), "and the servlet door sees its increment");

        page.click("set_attribute"); // the form's example: theme = {"color":"dark"}
        assertEquals("Stored attribute theme; Refresh shows it.", page.text("message"));
        page.click("refresh");
        JsonNode session = ContractRequests.JSON.readTree(page.text("session"));
        assertEquals(6, session.path("counter").asInt(), session.toString());
        page.click("refresh_rest");
        assertEquals(session, ContractRequests.JSON.readTree(page.text("session")), "both doors show one session");
        assertEquals("dark", session.path("theme").path("color").asText(), session.toString());

        page.click("show_stored");
        String key = "session:" + TENANT + ":" + sessionId;
        assertEquals("session:" + TENANT + ":" + sessionId.substring(0, 4) + "…", page.text("stored_key"));
        assertEquals(redis.cli("GET", key), page.text("stored_value"), "the exact stored string");
        JsonNode stored = ContractRequests.JSON.readTree(page.text("stored_value"));
        assertEquals(6, stored.path("counter").asInt(), stored.toString());
        assertEquals("dark", stored.path("theme").path("color").asText(), stored.toString());
        Matcher ttl = Pattern.compile("(\\d+)\\.\\d s").matcher(page.text("stored_ttl"));
        assertTrue(ttl.matches(), "TTL in seconds: " + page.text("stored_ttl"));
        int seconds = Integer.parseInt(ttl.group(1));
        assertTrue(seconds > 1700 && seconds <= 1800, "close to the 30 min idle timeout: " + seconds);
        assertFalse(page.source().contains(sessionId), "the whole session id is nowhere on the page");

        page.screenshot(SCREENSHOT);
        BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
        assertNotNull(image, "the screenshot is a readable image: " + SCREENSHOT.toAbsolutePath());
        assertEquals(1280, image.getWidth(), "the screenshot has the window's width");
    }

    @Test
    @Order(3)
    void aBadTenantIsAReadableMessage() {
        page.type("tenant", "acme corp");
        page.click("refresh");
        String message = page.text("message");
        assertTrue(message.startsWith("Bad tenant: Invalid tenant id 'acme corp'"), message);
        assertFalse(message.contains("{"), "no raw JSON: " + message);
        page.type("tenant", TENANT);
    }

    @Test
    @Order(4)
    void logoutEndsTheSessionOnBothReplicas() throws Exception {
        page.click("logout");
        assertEquals("Logged out: the session is deleted from Redis, for every replica.", page.text("message"));
        assertEquals("0", redis.cli("EXISTS", "session:" + TENANT + ":" + sessionId));
        for (App app : List.of(a, b)) {
            int status = AppReplicas.send(app.uri("/demo/me"), "GET", TENANT, sessionId, null).status();
            assertEquals(401, status, "replica " + app.name() + " has no session for the old cookie");
        }
        for (int i = 0; i < 2; i++) { // once on each replica
            page.click("refresh");
            assertTrue(page.text("message").startsWith("Not logged in: No session for this cookie and tenant"),
                    page.text("message"));
            assertEquals("(no session)", page.text("session"));
        }
        page.click("show_stored"); // logout removed the cookie
        assertEquals("This browser has no session cookie (or not a well-formed one): log in first",
                page.text("message"));
    }

    @Test
    @Order(5)
    void theAdminPanelPurgesTheTenantWithProgress() throws Exception {
        logIn();
        for (int i = 0; i < 20; i++) { // more sessions of the tenant, made outside the browser
            assertEquals(200, AppReplicas.send(proxy.uri("/demo/login"), "POST", TENANT, null,
                    "{\"user_id\":\"bulk-" + i + "\"}").status());
        }
        AppReplicas.send(proxy.uri("/demo/login"), "POST", "other", null, "{\"user_id\":\"stays\"}");

        page.type("admin_password", "wrong");
        page.click("count");
        assertEquals("Admin login failed: the user or password is wrong.", page.text("message"));

        page.type("admin_password", "admin");
        page.click("purge");
        assertEquals("Purged tenant acme: 21 sessions deleted.", page.text("message"));
        assertTrue(page.text("purge_status").contains(": completed, scanned 21, deleted 21"), page.text("purge_status"));
        assertEquals("21", page.property("purge_progress", "max"));
        assertEquals("21", page.property("purge_progress", "value"));
        assertEquals("0", page.text("tenant_sessions"));
        assertEquals("", redis.cli("--scan", "--pattern", "session:" + TENANT + ":*"));
        assertNotEquals("", redis.cli("--scan", "--pattern", "session:other:*"), "other tenants keep theirs");

        page.click("refresh");
        assertTrue(page.text("message").startsWith("Not logged in"), page.text("message"));
    }

    @Test
    @Order(6)
    void redisDownIsAReadableMessage() {
        redis.stop(); // the last test: nothing needs Redis after it
        page.click("refresh");
        String message = page.text("message");
        assertTrue(message.startsWith("Redis is unavailable, try again in a moment: "), message);
        assertFalse(message.contains("{") || message.contains(String.valueOf(redis.port())), "readable, no address: "
                + message);
    }

    /** Logs in with the form as user u-7 of tenant acme; remembers the session id. */
    static void logIn() {
        page.type("tenant", TENANT);
        page.type("user_id", "u-7");
        page.type("email", "hanako@example.com");
        page.type("name", "Hanako");
        page.type("roles", "user, admin");
        page.click("login");
        assertEquals("Logged in as u-7 in tenant acme.", page.text("message"));
        sessionId = page.cookie("JSESSIONID");
        assertNotNull(sessionId, "the login set the session cookie");
    }
}
