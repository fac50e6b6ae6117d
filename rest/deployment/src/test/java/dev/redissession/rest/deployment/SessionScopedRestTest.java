package dev.redissession.rest.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.logging.Level;

import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.context.SessionScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.deployment.TestApps;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A quarkus-rest application without a servlet container: the build's warning about a {@code @SessionScoped} bean
 * says it is not active in resources (and nothing about servlets), and it is true: using it throws.
 */
class SessionScopedRestTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(TestRedis.standalone(), Visits.class, VisitResource.class)
            .overrideConfigKey("quarkus.redis-session.key-prefix", "session-scoped-rest:")
            .setLogRecordPredicate(record -> record.getLevel().intValue() >= Level.WARNING.intValue()
                    && record.getMessage() != null && record.getMessage().contains("@SessionScoped"))
            .assertLogRecords(records -> {
                assertEquals(1, records.size(), "one warning: " + records);
                String message = records.get(0).getMessage();
                assertTrue(message.startsWith("@SessionScoped bean " + Visits.class.getName() + " is not stored in "
                        + "Redis by quarkus-redis-session: in quarkus-rest resources and Vert.x routes it is not "
                        + "active: using it throws ContextNotActiveException"), message);
                assertTrue(message.contains("(the injected RedisSession in quarkus-rest resources)")
                        && message.contains("@SessionAttributeType"), message);
                assertFalse(message.contains("servlet") || message.contains("\n"),
                        "one line, about the only door there is: " + message);
            });

    @Test
    void aSessionScopedBeanIsNotActiveInAResource() {
        assertEquals("not active", given().post("/visits").then().statusCode(200).extract().asString());
    }

    @SessionScoped
    public static class Visits implements Serializable {
        private int count;

        public int next() {
            return ++count;
        }
    }

    @Path("/visits")
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
