package dev.redissession.it.firsthour;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The test of docs/testing.md, verbatim: a new quarkus-rest app, no Redis configuration (the extension's Dev Services
 * start a redis-server), logs in and reads its session on the next request.
 */
@QuarkusTest
class AccountTest {
    @Test
    void loginThenTheSessionIsThereOnTheNextRequest() {
        String id = given().body("u-1").post("/account/login").then().statusCode(204)
                .extract().cookie("JSESSIONID");
        given().cookie("JSESSIONID", id).get("/account/me").then().statusCode(200).body(equalTo("u-1"));
        given().get("/account/me").then().statusCode(401); // no cookie, no session
    }
}
