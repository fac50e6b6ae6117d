package dev.redissession.rest.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.deployment.DockerNoise;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A quarkus-rest application with no Redis configuration at all (docs/testing.md): its test logs in and reads the
 * session through a resource, against the redis-server Dev Services start, and nothing in the log is about Docker.
 */
class RestDevServicesTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(AccountResource.class))
            .overrideConfigKey("quarkus.http.test-port", "0")
            .setLogRecordPredicate(r -> true)
            .assertLogRecords(records -> assertEquals(List.of(), DockerNoise.in(records),
                    "test mode without Docker logs no Docker or Testcontainers warning or error"));

    @Test
    void loginThenTheSessionIsThereOnTheNextRequest() {
        URI hosts = URI.create(ConfigProvider.getConfig().getValue("quarkus.redis.hosts", String.class));
        assertTrue("127.0.0.1".equals(hosts.getHost()) && hosts.getPort() != 6379, "Dev Services' own Redis: " + hosts);

        String id = given().body("u-1").post("/account/login").then().statusCode(204).extract().cookie("JSESSIONID");
        given().cookie("JSESSIONID", id).get("/account/me").then().statusCode(200).body(equalTo("u-1"));
        given().get("/account/me").then().statusCode(401);
    }
}
