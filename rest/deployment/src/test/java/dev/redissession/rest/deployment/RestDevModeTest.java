package dev.redissession.rest.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.LogRecord;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.deployment.DockerNoise;
import dev.redissession.testing.FreePorts;
import io.quarkus.test.QuarkusDevModeTest;

/**
 * Dev mode ({@code quarkus:dev}) of a quarkus-rest application with no Redis configuration, on a machine without
 * Docker: Dev Services serve the sessions, and nothing in the log is about Docker or Testcontainers.
 */
class RestDevModeTest {

    // dev mode listens on quarkus.http.port (8080 by default, often taken on a shared machine)
    static final int PORT = FreePorts.next();

    @RegisterExtension
    static final QuarkusDevModeTest TEST = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClasses(AccountResource.class)
                    .addAsResource(new StringAsset("quarkus.http.port=" + PORT), "application.properties"))
            .setLogRecordPredicate(r -> true);

    @Test
    void loginWorksAndTheLogHasNoDockerWarning() {
        String id = given().port(PORT).body("u-1").post("/account/login").then().statusCode(204).extract()
                .cookie("JSESSIONID");
        given().port(PORT).cookie("JSESSIONID", id).get("/account/me").then().statusCode(200).body(equalTo("u-1"));

        List<LogRecord> records = TEST.getLogRecords();
        assertTrue(records.stream().anyMatch(r -> r.getLoggerName().endsWith("LocalRedisServer")), "the log is captured");
        assertEquals(List.of(), DockerNoise.in(records),
                "dev mode without Docker logs no Docker or Testcontainers warning or error");
    }
}
