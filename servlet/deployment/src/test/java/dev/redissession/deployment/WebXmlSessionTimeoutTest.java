package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.logging.Level;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * web.xml's {@code <session-timeout>} (5 minutes) wins over {@code quarkus.redis-session.idle-timeout} (10 minutes),
 * with one warning at startup naming both; {@code setMaxInactiveInterval} wins over both; reads stay one GETEX.
 */
class WebXmlSessionTimeoutTest {

    static final RedisServer REDIS = TestRedis.standalone();

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(SessionServlet.class, Sessions.class, TestApps.class)
                    .addAsManifestResource(new StringAsset("""
                            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                              <session-config>
                                <session-timeout>5</session-timeout>
                              </session-config>
                            </web-app>
                            """), "web.xml"))
            // What TestApps.on sets; it cannot be used here, since the archive needs the web.xml too.
            .overrideConfigKey("quarkus.http.test-port", "0")
            .overrideConfigKey("quarkus.redis.devservices.enabled", "false")
            .overrideConfigKey("quarkus.redis.hosts", REDIS.uri())
            .overrideConfigKey("quarkus.redis-session.key-prefix", "web-xml-timeout:")
            .overrideConfigKey("quarkus.redis-session.idle-timeout", "10M")
            .setLogRecordPredicate(record -> record.getLevel().intValue() >= Level.WARNING.intValue()
                    && record.getMessage() != null && record.getMessage().contains("session-timeout"))
            .assertLogRecords(records -> {
                assertEquals(1, records.size(), "one warning: " + records);
                String message = records.get(0).getMessage();
                assertTrue(message.contains("<session-timeout>5</session-timeout>")
                        && message.contains("quarkus.redis-session.idle-timeout=PT10M")
                        && message.contains("web.xml's is used"), message);
            });

    @Test
    void webXmlSetsTheIdleTimeoutAndTheTtlOfReads() {
        String id = Sessions.put(null, "a", "1");
        given().cookie("JSESSIONID", id).get("/s/meta").then().statusCode(200).body("maxInactive", equalTo(300));
        assertTtlAbout(id, 300_000);

        REDIS.resetStats();
        given().cookie("JSESSIONID", id).get("/s/attr/a").then().statusCode(200);
        assertEquals(Map.of("getex", 1L), TestApps.sessionCommands(REDIS), "GETEX already uses web.xml's timeout");
        assertTtlAbout(id, 300_000);
    }

    @Test
    void setMaxInactiveIntervalWinsOverWebXml() {
        String id = Sessions.put(null, "a", "1");
        given().cookie("JSESSIONID", id).put("/s/max-inactive?seconds=600").then().statusCode(204);
        given().cookie("JSESSIONID", id).get("/s/meta").then().statusCode(200).body("maxInactive", equalTo(600));
        assertTtlAbout(id, 600_000);
    }

    private static void assertTtlAbout(String id, long millis) {
        long ttl = Long.parseLong(REDIS.cli("PTTL", "web-xml-timeout:default:" + id));
        assertTrue(ttl > millis - 60_000 && ttl <= millis, "TTL " + ttl + " ms, expected about " + millis);
    }
}
