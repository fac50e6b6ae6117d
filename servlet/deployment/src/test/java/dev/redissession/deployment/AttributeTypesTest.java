package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redissession.SessionAttributeType;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Registered classes round-trip through JSON; anything else fails at setAttribute; a type name read from Redis
 * never picks a class the application did not register.
 */
class AttributeTypesTest {

    static final RedisServer REDIS = TestRedis.standalone();
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, TypesServlet.class, Cart.class, Prefs.class)
            .overrideConfigKey("quarkus.redis-session.tenant.default", "types-test")
            .overrideConfigKey("quarkus.redis-session.attribute-types", Prefs.class.getName());

    @SessionAttributeType("cart")
    public record Cart(List<String> items, BigDecimal total, Instant updated) {
    }

    /** Registered by configuration, not by annotation. */
    public static class Prefs {
        public String theme;
        public int pageSize;
    }

    @WebServlet(urlPatterns = "/types/*")
    public static class TypesServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession session = req.getSession(true);
            String op = req.getPathInfo().substring(1);
            Object value = switch (op) {
                case "cart" -> new Cart(List.of("apple", "pear"), new BigDecimal("12.30"),
                        Instant.parse("2026-01-18T10:00:00Z"));
                case "prefs" -> {
                    Prefs prefs = new Prefs();
                    prefs.theme = "dark";
                    prefs.pageSize = 50;
                    yield prefs;
                }
                case "date" -> new Date();
                case "nested" -> Map.of("when", List.of(new Date()));
                case "nan" -> Double.NaN;
                default -> null;
            };
            if (value != null) {
                try {
                    session.setAttribute(op, value);
                } catch (IllegalArgumentException e) {
                    resp.setStatus(422);
                    resp.getWriter().write(e.getMessage());
                    return;
                }
            }
            Object read = session.getAttribute(req.getParameter("read") == null ? op : req.getParameter("read"));
            resp.getWriter().write(read == null ? "null" : read.getClass().getName() + " " + describe(read));
        }

        private static String describe(Object value) {
            if (value instanceof Cart cart) {
                return cart.items() + " " + cart.total() + " " + cart.updated();
            }
            if (value instanceof Prefs prefs) {
                return prefs.theme + " " + prefs.pageSize;
            }
            return String.valueOf(value);
        }
    }

    @Test
    void annotatedAndConfiguredClassesRoundTripAsThemselves() throws Exception {
        String id = given().get("/types/cart").then().statusCode(200).extract().cookie("JSESSIONID");
        given().cookie("JSESSIONID", id).get("/types/prefs").then().statusCode(200);
        // JSON numbers carry a value, not a scale: 12.30 comes back as 12.3.
        given().cookie("JSESSIONID", id).get("/types/read?read=cart").then()
                .body(equalTo(Cart.class.getName() + " [apple, pear] 12.3 2026-01-18T10:00:00Z"));
        given().cookie("JSESSIONID", id).get("/types/read?read=prefs").then()
                .body(equalTo(Prefs.class.getName() + " dark 50"));
        JsonNode stored = JSON.readTree(REDIS.cli("GET", "session:types-test:" + id));
        assertEquals("apple", stored.at("/cart/items/0").textValue(), "plain JSON that other services can read");
        assertEquals(Map.of("cart", "cart", "prefs", Prefs.class.getName()),
                JSON.convertValue(stored.get("attribute_types"), Map.class));
    }

    @Test
    void unregisteredTypesFailAtSetAttributeNamingAttributeAndType() {
        given().get("/types/date").then().statusCode(422)
                .body(containsString("'date'")).body(containsString("java.util.Date"))
                .body(containsString("@SessionAttributeType"));
        given().get("/types/nested").then().statusCode(422).body(containsString("'nested'"))
                .body(containsString("java.util.Date"));
        given().get("/types/nan").then().statusCode(422).body(containsString("NaN"));
    }

    @Test
    void aClassNameFromRedisNeverPicksAnUnregisteredClass() {
        String id = "gadgetgadgetgadgetgadgetgadget01";
        REDIS.cli("SET", "session:types-test:" + id, "{\"created_at\":\"" + Instant.now() + "\","
                + "\"evil\":{\"protocol\":\"http\",\"host\":\"example.com\"},"
                + "\"attribute_types\":{\"evil\":\"java.net.URL\"}}", "EX", "600");
        given().cookie("JSESSIONID", id).get("/types/read?read=evil").then().statusCode(200)
                .body(containsString("java.util.LinkedHashMap"));
    }
}
