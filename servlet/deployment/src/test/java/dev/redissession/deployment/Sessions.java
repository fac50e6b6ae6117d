package dev.redissession.deployment;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Test shortcuts over {@link SessionServlet}. */
final class Sessions {

    private Sessions() {
    }

    /**
     * Sets one attribute (JSON) in the session {@code id}, or in a new session when {@code id} is null.
     *
     * @return the session id the response names (or {@code id})
     */
    static String put(String id, String name, String json) {
        RequestSpecification request = given().body(json);
        if (id != null) {
            request.cookie("JSESSIONID", id);
        }
        Response response = request.put("/s/attr/" + name);
        response.then().statusCode(204);
        String issued = response.getCookie("JSESSIONID");
        return issued != null ? issued : id;
    }

    /**
     * Sends {@code held} (whose path must carry {@code ?hold=held}), waits until it has read its session, runs
     * {@code winner}, then lets {@code held} go on: a deterministic lost race.
     *
     * @return {@code held}'s response
     */
    static Response interleave(java.util.function.Supplier<Response> held, Runnable winner) throws Exception {
        SessionServlet.hold("held");
        java.util.concurrent.CompletableFuture<Response> loser = java.util.concurrent.CompletableFuture
                .supplyAsync(held);
        SessionServlet.awaitLoaded("held");
        winner.run();
        SessionServlet.release("held");
        return loser.get();
    }
}
