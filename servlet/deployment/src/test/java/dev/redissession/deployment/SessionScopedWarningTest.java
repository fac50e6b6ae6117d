package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Serializable;
import java.util.logging.Level;

import jakarta.enterprise.context.SessionScoped;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The build warns about {@code @SessionScoped} beans of a servlet-only application, naming them, what they do in
 * servlets and what to use instead, and the warning is true: such a bean starts afresh on every request.
 * (The REST door alone: {@code SessionScopedRestTest}; both doors: {@code SessionScopedBothDoorsTest} in admin.)
 */
class SessionScopedWarningTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(TestRedis.standalone(), Visits.class, VisitServlet.class)
            .overrideConfigKey("quarkus.redis-session.key-prefix", "session-scoped:")
            .setLogRecordPredicate(record -> record.getLevel().intValue() >= Level.WARNING.intValue()
                    && record.getMessage() != null && record.getMessage().contains("@SessionScoped"))
            .assertLogRecords(records -> {
                assertEquals(1, records.size(), "one warning: " + records);
                String message = records.get(0).getMessage();
                assertTrue(message.startsWith("@SessionScoped bean " + Visits.class.getName() + " is not stored in "
                        + "Redis by quarkus-redis-session: in servlets it lives for one request only"), message);
                assertTrue(message.contains("(HttpSession attributes or ServletSessions in servlets)")
                        && message.contains("@SessionAttributeType"), message);
                assertFalse(message.contains("quarkus-rest") || message.contains("\n"),
                        "one line, about the only door there is: " + message);
            });

    @Test
    void aSessionScopedBeanStartsAfreshOnEveryRequest() {
        String id = given().post("/visits").then().statusCode(200).extract().cookie("JSESSIONID");
        assertEquals("1", given().post("/visits").asString());
        assertEquals("1", given().cookie("JSESSIONID", id).post("/visits").asString(), "as the warning says");
    }

    @SessionScoped
    public static class Visits implements Serializable {
        private int count;

        // Through a method: fields of a client proxy are not the bean's.
        public int next() {
            return ++count;
        }
    }

    @WebServlet(urlPatterns = "/visits")
    public static class VisitServlet extends HttpServlet {
        @Inject
        Visits visits;

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            req.getSession(true).setAttribute("seen", true);
            resp.getWriter().write(String.valueOf(visits.next()));
        }
    }
}
