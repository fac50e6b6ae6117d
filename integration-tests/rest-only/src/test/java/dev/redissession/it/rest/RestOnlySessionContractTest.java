package dev.redissession.it.rest;

import static dev.redissession.testing.contract.ContractRequests.json;
import static dev.redissession.testing.contract.ContractRequests.login;
import static dev.redissession.testing.contract.ContractRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dev.redissession.testing.RedisTestResource;
import dev.redissession.testing.contract.SessionContractScenarios;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The session contract through the quarkus-rest door, in an app without servlets; and what only this app has, the
 * non-blocking {@code GET /demo/reactive/me}.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class RestOnlySessionContractTest extends SessionContractScenarios {

    @Test
    void theAppHasNoServletContainer() {
        // The REST door came as a conditional dependency of the core; nothing brought Undertow along.
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.undertow.servlet.api.DeploymentInfo"));
    }

    @Test
    void reactiveMeAnswersWhatMeAnswers() {
        Response none = request(null, null).get("/demo/reactive/me");
        none.then().statusCode(401).contentType("application/json");
        assertEquals(json(request(null, null).get("/demo/me")), json(none));

        String id = login("acme", null);
        Response me = request("acme", id).get("/demo/reactive/me");
        me.then().statusCode(200).contentType("application/json");
        assertEquals(json(request("acme", id).get("/demo/me")), json(me));
        request("globex", id).get("/demo/reactive/me").then().statusCode(401);
        request("bad*tenant", id).get("/demo/reactive/me").then().statusCode(400).contentType("application/json");
    }
}
