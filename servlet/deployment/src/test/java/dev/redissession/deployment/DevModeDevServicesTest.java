package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusDevModeTest;

/**
 * Dev mode ({@code quarkus:dev}) without any Redis configuration: Dev Services give the sessions a redis-server, and
 * on a machine without Docker nothing in the log is about Docker.
 */
class DevModeDevServicesTest {

    // dev mode listens on quarkus.http.port (8080 by default, often taken on a shared machine)
    static final int PORT = freePort();

    @RegisterExtension
    static final QuarkusDevModeTest TEST = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClasses(SessionServlet.class, Sessions.class)
                    .addAsResource(new StringAsset("quarkus.http.port=" + PORT), "application.properties"))
            .setLogRecordPredicate(r -> true);

    @Test
    void sessionsWorkWithNoRedisConfigured() {
        String id = given().port(PORT).body("\"kept\"").put("/s/attr/a").then().statusCode(204).extract()
                .cookie("JSESSIONID");
        given().port(PORT).cookie("JSESSIONID", id).get("/s/attr/a").then().statusCode(200)
                .body("value", equalTo("kept"));
        assertEquals(List.of(), DockerNoise.in(TEST.getLogRecords()), "no Docker or Testcontainers warning or error");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
