package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/** A web.xml {@code <cookie-config>} names the cookie and makes it Secure; the properties add SameSite=Strict. */
class CookieConfigTest {

    static final RedisServer REDIS = TestRedis.standalone();

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(SessionServlet.class, TestApps.class)
                    .addAsManifestResource(new StringAsset("""
                            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                              <session-config>
                                <cookie-config>
                                  <name>SID</name>
                                  <path>/s</path>
                                  <secure>true</secure>
                                </cookie-config>
                              </session-config>
                            </web-app>
                            """), "web.xml"))
            // What TestApps.on sets; it cannot be used here, since the archive needs the web.xml too.
            .overrideConfigKey("quarkus.http.test-port", "0")
            .overrideConfigKey("quarkus.redis.devservices.enabled", "false")
            .overrideConfigKey("quarkus.redis.hosts", REDIS.uri())
            .overrideConfigKey("quarkus.redis-session.key-prefix", "cookie-config:")
            .overrideConfigKey("quarkus.redis-session.cookie.same-site", "strict");

    @Test
    void webXmlNamesTheCookieAndMakesItSecureThePropertiesAddSameSite() {
        String cookie = given().body("1").put("/s/attr/x").header("Set-Cookie");
        assertTrue(cookie.startsWith("SID="), cookie);
        String lower = cookie.toLowerCase();
        assertTrue(lower.contains("path=/s") && lower.contains("; secure") && cookie.contains("SameSite=Strict")
                && cookie.contains("HttpOnly"), cookie);
        String id = cookie.substring(4, cookie.indexOf(';'));
        given().cookie("SID", id).get("/s/attr/x").then().statusCode(200);
        given().cookie("JSESSIONID", id).get("/s/attr/x").then().statusCode(401);
    }
}
