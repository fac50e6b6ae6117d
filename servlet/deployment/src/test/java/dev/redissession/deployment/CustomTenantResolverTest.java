package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.SessionRequest;
import dev.redissession.TenantResolver;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * An application's own {@link TenantResolver} bean replaces the configured strategy, even though nothing in the
 * application injects it; one written for servlets reaches its {@code HttpServletRequest} through the neutral view.
 */
class CustomTenantResolverTest {

    static final RedisServer REDIS = TestRedis.standalone();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionServlet.class, PathTenant.class)
            .overrideConfigKey("quarkus.redis-session.key-prefix", "custom:")
            .overrideConfigKey("quarkus.redis-session.tenant.strategy", "header");

    @ApplicationScoped
    public static class PathTenant implements TenantResolver {
        @Override
        public String resolve(SessionRequest session) {
            // The one-line migration of a resolver written for HttpServletRequest (docs/configuration.md).
            HttpServletRequest request = session.unwrap(HttpServletRequest.class).orElseThrow();
            String tenant = request.getParameter("tenant");
            return tenant == null ? "fallback" : tenant;
        }
    }

    @Test
    void theApplicationsResolverDecides() {
        String id = given().body("1").put("/s/attr/x?tenant=initech").getCookie("JSESSIONID");
        assertEquals("string", REDIS.cli("TYPE", "custom:initech:" + id));
        given().header("X-Tenant-Id", "ignored").cookie("JSESSIONID", id).get("/s/attr/x?tenant=initech").then()
                .statusCode(200);
        given().cookie("JSESSIONID", id).get("/s/attr/x").then().statusCode(401);
        given().body("1").put("/s/attr/x?tenant=bad%2Atenant").then().statusCode(400);
    }
}
