package dev.redissession.deployment;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import dev.redissession.runtime.health.SessionStoreHealthCheck;
import io.restassured.response.Response;

/** Test shortcuts over {@code /q/health}: the session store's check in a health response. */
final class Health {

    private Health() {
    }

    /** The Redis client's own check (quarkus-redis-client), off by default beside the store's. */
    static final String REDIS_CLIENT_CHECK = "Redis connection health check";

    static Response ready() {
        return given().get("/q/health/ready");
    }

    /** The names of the response's checks. */
    static List<String> checkNames(Response health) {
        return health.jsonPath().getList("checks.name", String.class);
    }

    /** The "Redis session store" check of the response: {@code status} and {@code data}. */
    static Map<String, Object> storeCheck(Response health) {
        return health.jsonPath().getMap("checks.find { it.name == '" + SessionStoreHealthCheck.NAME + "' }");
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> storeData(Response health) {
        return (Map<String, String>) storeCheck(health).get("data");
    }

    static String storeStatus(Response health) {
        return (String) storeCheck(health).get("status");
    }
}
