package dev.redissession.admin.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Serializable;
import java.util.logging.Level;

import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.context.SessionScoped;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.deployment.TestApps;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * An application with both doors (quarkus-undertow and quarkus-rest, as the admin extension's tests have): the
 * build's one line about a {@code @SessionScoped} bean tells what it does behind each, and both are true.
 */
class SessionScopedBothDoorsTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(TestRedis.standalone(), Visits.class, VisitServlet.class,
            VisitResource.class)
            .overrideConfigKey("quarkus.redis-session.key-prefix", "session-scoped-both:")
            .setLogRecordPredicate(record -> record.getLevel().intValue() >= Level.WARNING.intValue()
                    && record.getMessage() != null && record.getMessage().contains("@SessionScoped"))
            .assertLogRecords(records -> {
                assertEquals(1, records.size(), "one warning per bean: " + records);
                String message = records.get(0).getMessage();
                assertTrue(message.startsWith("@SessionScoped bean " + Visits.class.getName() + " is not stored in "
                        + "Redis by quarkus-redis-session: "), message);
                assertTrue(message.contains("in quarkus-rest resources and Vert.x routes it is not active: using it "
                        + "throws ContextNotActiveException, and adding the Undertow extension, as that exception's "
                        + "hint suggests, does not change it; in servlets it lives for one request only"), message);
                assertTrue(message.contains("(the injected RedisSession in quarkus-rest resources, HttpSession "
                        + "attributes or ServletSessions in servlets), as JSON values or as classes registered with "
                        + "@SessionAttributeType"), message);
                assertTrue(!message.contains("\n"), "one line: " + message);
            });

    @Test
    void theBeanIsRequestLocalInServletsAndNotActiveInResources() {
        String id = given().post("/visits").then().statusCode(200).extract().cookie("JSESSIONID");
        assertEquals("1", given().cookie("JSESSIONID", id).post("/visits").asString(), "request-local");
        assertEquals("not active", given().cookie("JSESSIONID", id).post("/api/visits").then().statusCode(200)
                .extract().asString());
    }

    @SessionScoped
    public static class Visits implements Serializable {
        private int count;

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

    @Path("/api/visits")
    public static class VisitResource {
        @Inject
        Visits visits;

        @POST
        public String visit() {
            try {
                return String.valueOf(visits.next());
            } catch (ContextNotActiveException e) {
                return "not active";
            }
        }
    }
}
